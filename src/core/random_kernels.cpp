// The random ops' kernel tables (Note [Dispatch stubs]); backends fill them.
#include "ember/core/random_kernels.h"

namespace ember {

DispatchStub<UniformKernel> uniform_stub{"uniform_"};
DispatchStub<NormalKernel> normal_stub{"normal_"};
DispatchStub<NormalAffineKernel> normal_affine_stub{"normal"};
DispatchStub<RandomIntKernel> random_int_stub{"random_"};
DispatchStub<BernoulliScalarKernel> bernoulli_scalar_stub{"bernoulli_"};
DispatchStub<BernoulliTensorKernel> bernoulli_tensor_stub{"bernoulli"};
DispatchStub<ExponentialKernel> exponential_stub{"exponential_"};
DispatchStub<RandpermKernel> randperm_stub{"randperm"};
DispatchStub<MultinomialKernel> multinomial_stub{"multinomial"};

}  // namespace ember
