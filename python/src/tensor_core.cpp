// Tensor attributes, conversion, views and copies.
#include <nanobind/stl/pair.h>

#include "bind.h"
#include "ember/ops/unary.h"

namespace ember::py {

namespace {

nb::object dims_or_int(const Tensor& t, std::optional<int64_t> dim, bool strides) {
  if (dim) return nb::int_(strides ? t.stride(*dim) : t.size(*dim));
  return make_size(strides ? t.strides() : t.sizes());
}

Tensor squeeze_args(const Tensor& t, nb::handle dim) {
  if (dim.is_none()) return t.squeeze();
  if (PyIndex_Check(dim.ptr())) return t.squeeze(DimVector{nb::cast<int64_t>(dim)});
  return t.squeeze(sizes_from_sequence(dim, "squeeze"));
}

// unbind returns a tuple, as in PyTorch.
nb::tuple unbind_tuple(const Tensor& t, int64_t dim) { return nb::tuple(nb::cast(t.unbind(dim))); }

}  // namespace

static void bind_tensor_core(nb::module_& m, nb::class_<Tensor>& cls) {
  // Tensor(other): a new handle over other's data without its autograd state
  // (other.detach()); Python subclasses such as nn.Parameter are built on it.
  cls.def("__init__", [](Tensor* self, const Tensor& other) { new (self) Tensor(other.detach()); }, nb::arg("data"));
  cls.def_prop_ro("shape", [](const Tensor& t) { return make_size(t.sizes()); })
      .def("size", [](const Tensor& t, std::optional<int64_t> dim) { return dims_or_int(t, dim, false); },
           nb::arg("dim") = nb::none())
      .def("stride", [](const Tensor& t, std::optional<int64_t> dim) { return dims_or_int(t, dim, true); },
           nb::arg("dim") = nb::none())
      .def("dim", &Tensor::dim)
      .def("ndimension", &Tensor::dim)
      .def_prop_ro("ndim", &Tensor::dim)
      .def("numel", &Tensor::numel)
      .def("nelement", &Tensor::numel)
      .def_prop_ro("dtype", &Tensor::dtype)
      .def_prop_ro("device", &Tensor::device)
      .def_prop_ro("is_cuda", &Tensor::is_cuda)
      .def_prop_ro("is_cpu", &Tensor::is_cpu)
      .def("element_size", &Tensor::element_size)
      .def_prop_ro("itemsize", &Tensor::element_size)
      .def_prop_ro("nbytes", &Tensor::nbytes)
      .def("is_contiguous", [](const Tensor& t) { return t.is_contiguous(); })
      .def("is_floating_point", &Tensor::is_floating_point)
      .def("is_complex", &Tensor::is_complex)
      .def("storage_offset", &Tensor::storage_offset)
      .def("data_ptr", [](const Tensor& t) { return reinterpret_cast<uintptr_t>(t.data_ptr()); })
      .def("untyped_storage_nbytes", [](const Tensor& t) { return t.storage()->nbytes(); })
      .def_prop_ro("_version", [](const Tensor& t) { return t.version(); })  // a property, as in PyTorch
      .def_prop_ro("_base_data_ptr",
                   [](const Tensor& t) { return reinterpret_cast<uintptr_t>(t.storage()->data()); })
      .def_prop_rw("requires_grad", &Tensor::requires_grad,
                   [](Tensor& t, bool v) { t.set_requires_grad(v); })
      .def_prop_rw("grad", [](const Tensor& t) -> std::optional<Tensor> {
        Tensor g = t.grad();
        return g.defined() ? std::optional<Tensor>(g) : std::nullopt;
      }, [](Tensor& t, std::optional<Tensor> g) { t.set_grad(g ? *g : Tensor()); }, nb::arg("grad").none())
      .def("requires_grad_", [](Tensor& t, bool v) -> Tensor& { return t.set_requires_grad(v); }, nb::rv_policy::reference,
           nb::arg("requires_grad") = true)
      .def("item", &Tensor::item)
      .def("_to", [](const Tensor& t, Device dev, DType dt, bool copy) { return t.to(dev, dt, copy); })
      .def("cpu", &Tensor::cpu)
      // ---- views
      .def("view", [](const Tensor& t, DType dt) { return t.view(dt); })
      .def("view", [](const Tensor& t, nb::args shape) { return t.view(sizes_from_args(shape, "view")); })
      .def("view_as", [](const Tensor& t, const Tensor& o) { return t.view(o.sizes()); })
      .def("reshape", [](const Tensor& t, nb::args shape) { return t.reshape(sizes_from_args(shape, "reshape")); })
      .def("reshape_as", [](const Tensor& t, const Tensor& o) { return t.reshape(o.sizes()); })
      .def("transpose", &Tensor::transpose, nb::arg("dim0"), nb::arg("dim1"))
      .def("swapaxes", &Tensor::transpose, nb::arg("axis0"), nb::arg("axis1"))
      .def("swapdims", &Tensor::transpose, nb::arg("dim0"), nb::arg("dim1"))
      .def("t", &Tensor::t)
      .def_prop_ro("T", &Tensor::T)
      .def_prop_ro("mT", &Tensor::mT)
      .def_prop_ro("H", [](const Tensor& t) {
        EMBER_CHECK(t.dim() == 2 || t.dim() == 0, RuntimeError,
                    "[H] tensor.H is only supported on matrices (2-D tensors). Got ", t.dim(), "-D tensor.");
        return conj(t.dim() == 2 ? t.t() : t);
      })
      .def("permute", [](const Tensor& t, nb::args dims) { return t.permute(sizes_from_args(dims, "permute")); })
      .def("expand", [](const Tensor& t, nb::args sizes) { return t.expand(sizes_from_args(sizes, "expand")); })
      .def("expand_as", &Tensor::expand_as)
      .def("squeeze", &squeeze_args, nb::arg("dim") = nb::none())
      .def("unsqueeze", &Tensor::unsqueeze, nb::arg("dim"))
      .def("flatten", &Tensor::flatten, nb::arg("start_dim") = 0, nb::arg("end_dim") = -1)
      .def("unflatten", [](const Tensor& t, int64_t dim, nb::handle sizes) {
        return t.unflatten(dim, sizes_from_sequence(sizes, "unflatten"));
      }, nb::arg("dim"), nb::arg("sizes"))
      .def("narrow", &Tensor::narrow, nb::arg("dim"), nb::arg("start"), nb::arg("length"))
      .def("select", &Tensor::select, nb::arg("dim"), nb::arg("index"))
      .def("unbind", &unbind_tuple, nb::arg("dim") = 0)
      .def("diagonal", &Tensor::diagonal, nb::arg("offset") = 0, nb::arg("dim1") = 0, nb::arg("dim2") = 1)
      .def("as_strided", [](const Tensor& t, nb::handle size, nb::handle stride, std::optional<int64_t> off) {
        return t.as_strided(sizes_from_sequence(size, "as_strided"), sizes_from_sequence(stride, "as_strided"), off);
      }, nb::arg("size"), nb::arg("stride"), nb::arg("storage_offset") = nb::none())
      // ---- copies
      .def("contiguous", &Tensor::contiguous)
      .def("clone", &Tensor::clone)
      .def("detach", &Tensor::detach)
      .def("copy_", [](Tensor& t, const Tensor& src, bool) -> Tensor& { return t.copy_(src); }, nb::rv_policy::reference,
           nb::arg("src"), nb::arg("non_blocking") = false)
      .def("fill_", [](Tensor& t, const Scalar& v) -> Tensor& { return t.fill_(v); }, nb::rv_policy::reference)
      .def("fill_", [](Tensor& t, const Tensor& v) -> Tensor& {
        EMBER_CHECK(v.dim() == 0, RuntimeError,
                    "[fill_] fill_ only supports 0-dimension value tensor but got tensor with ", v.dim(),
                    " dimensions.");
        return t.fill_(v.item());
      }, nb::rv_policy::reference)
      .def("zero_", [](Tensor& t) -> Tensor& { return t.zero_(); }, nb::rv_policy::reference);

  // Module-level forms of the view ops.
  m.def("transpose", &Tensor::transpose, nb::arg("input"), nb::arg("dim0"), nb::arg("dim1"));
  m.def("swapaxes", &Tensor::transpose);
  m.def("swapdims", &Tensor::transpose);
  m.def("t", &Tensor::t);
  m.def("permute", [](const Tensor& t, nb::handle dims) { return t.permute(sizes_from_sequence(dims, "permute")); },
        nb::arg("input"), nb::arg("dims"));
  m.def("reshape", [](const Tensor& t, nb::handle shape) { return t.reshape(sizes_from_sequence(shape, "reshape")); },
        nb::arg("input"), nb::arg("shape"));
  m.def("squeeze", &squeeze_args, nb::arg("input"), nb::arg("dim") = nb::none());
  m.def("unsqueeze", &Tensor::unsqueeze, nb::arg("input"), nb::arg("dim"));
  m.def("flatten", &Tensor::flatten, nb::arg("input"), nb::arg("start_dim") = 0, nb::arg("end_dim") = -1);
  m.def("unflatten", [](const Tensor& t, int64_t dim, nb::handle sizes) {
    return t.unflatten(dim, sizes_from_sequence(sizes, "unflatten"));
  }, nb::arg("input"), nb::arg("dim"), nb::arg("sizes"));
  m.def("narrow", &Tensor::narrow, nb::arg("input"), nb::arg("dim"), nb::arg("start"), nb::arg("length"));
  m.def("select", &Tensor::select, nb::arg("input"), nb::arg("dim"), nb::arg("index"));
  m.def("unbind", &unbind_tuple, nb::arg("input"), nb::arg("dim") = 0);
  m.def("diagonal", &Tensor::diagonal, nb::arg("input"), nb::arg("offset") = 0, nb::arg("dim1") = 0,
        nb::arg("dim2") = 1);
  m.def("as_strided", [](const Tensor& t, nb::handle size, nb::handle stride, std::optional<int64_t> off) {
    return t.as_strided(sizes_from_sequence(size, "as_strided"), sizes_from_sequence(stride, "as_strided"), off);
  }, nb::arg("input"), nb::arg("size"), nb::arg("stride"), nb::arg("storage_offset") = nb::none());
  m.def("clone", &Tensor::clone);
  m.def("detach", &Tensor::detach);
  m.def("is_tensor", [](nb::handle h) { return nb::isinstance<Tensor>(h); });
  m.def("numel", &Tensor::numel);

  m.def("get_default_dtype", &get_default_dtype);
  m.def("set_default_dtype", &set_default_dtype);
  m.def("promote_types", &promote_types);
  m.def("get_num_threads", &get_num_threads);
  m.def("set_num_threads", &set_num_threads);
  m.def("_allocator_stats", [] {
    auto s = cpu_allocator_stats();
    nb::dict d;
    d["allocated_bytes"] = s.allocated_bytes;
    d["cached_bytes"] = s.cached_bytes;
    d["num_allocs"] = s.num_allocs;
    d["num_cache_hits"] = s.num_cache_hits;
    return d;
  });
  m.def("_empty_cache", &cpu_allocator_empty_cache);
}

static BindingRegistrar reg(10, &bind_tensor_core);

}  // namespace ember::py
