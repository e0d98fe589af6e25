#pragma once
// The Ember C++ API: include this one header.
#include "ember/autograd/meta.h"
#include "ember/core/device.h"
#include "ember/core/dtype.h"
#include "ember/core/error.h"
#include "ember/core/parallel.h"
#include "ember/core/scalar.h"
#include "ember/core/tensor.h"
#include "ember/ops/creation.h"
#include "ember/ops/indexing.h"
#include "ember/ops/views.h"
