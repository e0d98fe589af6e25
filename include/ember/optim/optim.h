#pragma once
// ember::optim: optimizers with PyTorch's algorithms and libtorch's API.
#include "ember/optim/lbfgs.h"
#include "ember/optim/optimizer.h"
#include "ember/optim/optimizers.h"
#include "ember/optim/update_kernels.h"
