// ember.finfo and ember.iinfo: read-only views of FInfo / IInfo whose
// `dtype` is a string ('float32'), as in PyTorch.
#include <sstream>

#include "bind.h"
#include "ember/core/dtype_info.h"

namespace ember::py {

namespace {

// Python's float repr, so that the repr reads like PyTorch's.
std::string num(double v) { return nb::cast<std::string>(nb::repr(nb::float_(v))); }

std::string finfo_repr(const FInfo& f) {
  std::ostringstream os;
  os << "finfo(resolution=" << num(f.resolution) << ", min=" << num(f.min) << ", max=" << num(f.max)
     << ", eps=" << num(f.eps) << ", smallest_normal=" << num(f.smallest_normal)
     << ", tiny=" << num(f.tiny) << ", dtype=" << dtype_name(f.dtype) << ")";
  return os.str();
}

std::string iinfo_repr(const IInfo& i) {
  std::ostringstream os;
  os << "iinfo(min=" << i.min << ", max=" << i.max << ", dtype=" << dtype_name(i.dtype) << ")";
  return os.str();
}

}  // namespace

static void bind_dtype_info(nb::module_& m, nb::class_<Tensor>&) {
  nb::class_<FInfo>(m, "finfo")
      .def("__init__", [](FInfo* self, std::optional<DType> t) { new (self) FInfo(t ? finfo(*t) : finfo()); },
           nb::arg("type") = nb::none())
      .def_ro("bits", &FInfo::bits)
      .def_ro("eps", &FInfo::eps)
      .def_ro("max", &FInfo::max)
      .def_ro("min", &FInfo::min)
      .def_ro("tiny", &FInfo::tiny)
      .def_ro("smallest_normal", &FInfo::smallest_normal)
      .def_ro("resolution", &FInfo::resolution)
      .def_prop_ro("dtype", [](const FInfo& f) { return std::string(dtype_name(f.dtype)); })
      .def("__eq__", [](const FInfo& a, const FInfo& b) { return a.dtype == b.dtype; })
      .def("__eq__", [](const FInfo&, nb::handle) { return false; })
      .def("__hash__", [](const FInfo& f) { return static_cast<int>(f.dtype); })
      .def("__repr__", &finfo_repr);

  nb::class_<IInfo>(m, "iinfo")
      .def("__init__", [](IInfo* self, DType t) { new (self) IInfo(iinfo(t)); }, nb::arg("type"))
      .def_ro("bits", &IInfo::bits)
      .def_ro("max", &IInfo::max)
      .def_ro("min", &IInfo::min)
      .def_prop_ro("dtype", [](const IInfo& i) { return std::string(dtype_name(i.dtype)); })
      .def("__eq__", [](const IInfo& a, const IInfo& b) { return a.dtype == b.dtype; })
      .def("__eq__", [](const IInfo&, nb::handle) { return false; })
      .def("__hash__", [](const IInfo& i) { return static_cast<int>(i.dtype); })
      .def("__repr__", &iinfo_repr);
}

static BindingRegistrar reg(5, &bind_dtype_info);

}  // namespace ember::py
