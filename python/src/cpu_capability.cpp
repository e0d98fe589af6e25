// ember._C._get_cpu_capability(): the CPU kernels' instruction set, as
// torch._C._get_cpu_capability() (Note [Vectorized math]).
#include "bind.h"
#include "ember/core/cpu_capability.h"

namespace ember::py {

static void bind_cpu_capability(nb::module_& m, nb::class_<Tensor>&) {
  m.def("_get_cpu_capability", [] { return std::string(cpu_capability()); });
}

static BindingRegistrar reg(90, &bind_cpu_capability);

}  // namespace ember::py
