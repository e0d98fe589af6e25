#pragma once
// Layers of the C++ nn API, with Python's names, constructor arguments,
// parameter and buffer names and shapes, default initialisation and repr,
// one header per family (as python/ember/nn/modules/). Forwards call
// ember::nn::functional, which records autograd, so the layers train.
#include "ember/nn/modules/activation.h"
#include "ember/nn/modules/container.h"
#include "ember/nn/modules/conv.h"
#include "ember/nn/modules/dropout.h"
#include "ember/nn/modules/embedding.h"
#include "ember/nn/modules/flatten.h"
#include "ember/nn/modules/linear.h"
#include "ember/nn/modules/normalization.h"
#include "ember/nn/modules/pooling.h"
