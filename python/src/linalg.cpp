// Matrix products (module functions, Tensor methods, @) and the ember.linalg
// submodule, bound to the C++ API of ember/ops/linalg.h.
#include <nanobind/stl/tuple.h>

#include <cmath>
#include <limits>

#include "bind.h"
#include "ember/ops/linalg.h"

namespace ember::py {

namespace {

// dims of tensordot: an int, or a pair of int lists (or of ints).
Tensor tensordot_py(const Tensor& a, const Tensor& b, nb::handle dims) {
  if (nb::isinstance<nb::int_>(dims)) return tensordot(a, b, nb::cast<int64_t>(dims));
  EMBER_CHECK(nb::isinstance<nb::sequence>(dims) && nb::len(dims) == 2, TypeError,
              "[tensordot] dims must be an int or a pair of lists of dims");
  auto side = [](nb::handle h) {
    if (nb::isinstance<nb::int_>(h)) return DimVector{nb::cast<int64_t>(h)};
    return sizes_from_sequence(h, "tensordot");
  };
  return tensordot(a, b, side(dims[0]), side(dims[1]));
}

// einsum("ij,jk", a, b) and einsum("ij,jk", [a, b]).
Tensor einsum_py(std::string_view eq, const nb::args& args) {
  std::vector<Tensor> ops;
  if (args.size() == 1 && !nb::isinstance<Tensor>(args[0])) {
    for (nb::handle h : args[0]) ops.push_back(nb::cast<Tensor>(h));
  } else {
    for (nb::handle h : args) ops.push_back(nb::cast<Tensor>(h));
  }
  return einsum(eq, ops);
}

nb::object matmul_op(const Tensor& a, nb::handle b) {
  if (!nb::isinstance<Tensor>(b)) return nb::borrow(Py_NotImplemented);
  return nb::cast(matmul(a, nb::cast<const Tensor&>(b)));
}
nb::object rmatmul_op(const Tensor& a, nb::handle b) {
  if (!nb::isinstance<Tensor>(b)) return nb::borrow(Py_NotImplemented);
  return nb::cast(matmul(nb::cast<const Tensor&>(b), a));
}

}  // namespace

static void bind_products(nb::module_& m, nb::class_<Tensor>& cls) {
  using nb::arg;
  cls.def("__matmul__", &matmul_op)
      .def("__rmatmul__", &rmatmul_op)
      .def("matmul", &matmul, arg("other"))
      .def("mm", &mm, arg("mat2"))
      .def("bmm", &bmm, arg("mat2"))
      .def("mv", &mv, arg("vec"))
      .def("dot", &dot, arg("other"))
      .def("vdot", &vdot, arg("other"))
      .def("inner", &inner, arg("other"))
      .def("outer", &outer, arg("vec2"))
      .def("ger", &outer, arg("vec2"))
      .def("kron", &kron, arg("other"))
      .def("trace", &trace)
      .def("addmm", &addmm, arg("mat1"), arg("mat2"), nb::kw_only(), arg("beta") = 1, arg("alpha") = 1)
      .def("addmv", &addmv, arg("mat"), arg("vec"), nb::kw_only(), arg("beta") = 1, arg("alpha") = 1)
      .def("baddbmm", &baddbmm, arg("batch1"), arg("batch2"), nb::kw_only(), arg("beta") = 1, arg("alpha") = 1)
      .def("addbmm", &addbmm, arg("batch1"), arg("batch2"), nb::kw_only(), arg("beta") = 1, arg("alpha") = 1)
      .def("cross", [](const Tensor& a, const Tensor& b, std::optional<int64_t> dim) { return cross(a, b, dim); },
           arg("other"), arg("dim") = nb::none());

  m.def("matmul", [](const Tensor& a, const Tensor& b, nb::handle out) {
    return write_out("matmul", matmul(a, b), out);
  }, arg("input"), arg("other"), nb::kw_only(), arg("out") = nb::none());
  m.def("mm", [](const Tensor& a, const Tensor& b, nb::handle out) {
    return write_out("mm", mm(a, b), out);
  }, arg("input"), arg("mat2"), nb::kw_only(), arg("out") = nb::none());
  m.def("bmm", [](const Tensor& a, const Tensor& b, nb::handle out) {
    return write_out("bmm", bmm(a, b), out);
  }, arg("input"), arg("mat2"), nb::kw_only(), arg("out") = nb::none());
  m.def("mv", &mv, arg("input"), arg("vec"));
  m.def("dot", &dot, arg("input"), arg("other"));
  m.def("vdot", &vdot, arg("input"), arg("other"));
  m.def("inner", &inner, arg("input"), arg("other"));
  m.def("outer", &outer, arg("input"), arg("vec2"));
  m.def("ger", &outer, arg("input"), arg("vec2"));
  m.def("kron", &kron, arg("input"), arg("other"));
  m.def("trace", &trace, arg("input"));
  m.def("addmm", &addmm, arg("input"), arg("mat1"), arg("mat2"), nb::kw_only(), arg("beta") = 1, arg("alpha") = 1);
  m.def("addmv", &addmv, arg("input"), arg("mat"), arg("vec"), nb::kw_only(), arg("beta") = 1, arg("alpha") = 1);
  m.def("baddbmm", &baddbmm, arg("input"), arg("batch1"), arg("batch2"), nb::kw_only(), arg("beta") = 1,
        arg("alpha") = 1);
  m.def("addbmm", &addbmm, arg("input"), arg("batch1"), arg("batch2"), nb::kw_only(), arg("beta") = 1,
        arg("alpha") = 1);
  m.def("einsum", &einsum_py, arg("equation"), arg("operands"));
  m.def("tensordot", &tensordot_py, arg("a"), arg("b"), arg("dims") = 2);
  m.def("chain_matmul", [](const nb::args& args) {
    std::vector<Tensor> ts;
    for (nb::handle h : args) ts.push_back(nb::cast<Tensor>(h));
    if (ts.size() == 1) return ts[0];
    return multi_dot(ts);
  });
  m.def("cross", [](const Tensor& a, const Tensor& b, std::optional<int64_t> dim) { return cross(a, b, dim); },
        arg("input"), arg("other"), arg("dim") = nb::none());
  m.def("_blas_num_threads", &blas_num_threads);
}

static BindingRegistrar reg_products(40, &bind_products);

}  // namespace ember::py
