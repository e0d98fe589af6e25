// Matrix products (module functions, Tensor methods, @) and the ember.linalg
// submodule, bound to the C++ API of ember/ops/linalg.h.
#include <nanobind/stl/tuple.h>

#include <cmath>
#include <limits>

#include "bind.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
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

namespace {

// ord of the norms: None, a number (inf included) or "fro"/"nuc".
std::optional<linalg::NormOrd> ord_from_python(nb::handle h, const char* op) {
  if (h.is_none()) return std::nullopt;
  if (nb::isinstance<nb::str>(h)) return linalg::NormOrd(nb::cast<std::string>(h));
  Scalar s;
  EMBER_CHECK(!nb::isinstance<Tensor>(h) && scalar_from_python(h, s) && !s.is_complex(), TypeError, "[", op,
              "] ord must be a number or a string, got ", nb::cast<std::string>(h.type().attr("__name__")));
  return linalg::NormOrd(s.to_double());
}

// dim of the norms: None, an int or a sequence of ints.
std::optional<DimVector> dims_from_python(nb::handle h, const char* op) {
  if (h.is_none()) return std::nullopt;
  if (nb::isinstance<nb::int_>(h)) return DimVector{nb::cast<int64_t>(h)};
  return sizes_from_sequence(h, op);
}

double ord_number(nb::handle h, const char* op) {
  auto o = ord_from_python(h, op);
  EMBER_CHECK(o && std::holds_alternative<double>(*o), TypeError, "[", op, "] ord must be a number");
  return std::get<double>(*o);
}

// torch.svd: V instead of Vh; some=False gives the full U and V.
nb::object torch_svd(const Tensor& a, bool some, bool compute_uv) {
  auto [u, s, vh] = linalg::svd(a, !some);
  Tensor v = vh.mT();
  if (is_complex(a.dtype())) v = detail::conj_copy(vh).mT();
  if (!compute_uv) {
    u = zeros(u.sizes(), u.options());
    v = zeros(v.sizes(), v.options());
  }
  return nb::make_tuple(u, s, v);
}

}  // namespace

static void bind_linalg(nb::module_& m, nb::class_<Tensor>& cls) {
  using nb::arg;
  nb::module_ la = m.def_submodule("linalg", "Linear algebra (torch.linalg)");
  la.def("det", &linalg::det, arg("A"));
  la.def("slogdet", [](const Tensor& a) {
    auto [sign, logabs] = linalg::slogdet(a);
    return return_type("slogdet", {sign, logabs});
  }, arg("A"));
  la.def("inv", [](const Tensor& a, nb::handle out) { return write_out("linalg.inv", linalg::inv(a), out); },
         arg("A"), nb::kw_only(), arg("out") = nb::none());
  la.def("inv_ex", [](const Tensor& a, bool check_errors) {
    auto [inverse, info] = linalg::inv_ex(a, check_errors);
    return nb::make_tuple(inverse, info);
  }, arg("A"), nb::kw_only(), arg("check_errors") = false);
  la.def("solve", [](const Tensor& a, const Tensor& b, bool left, nb::handle out) {
    return write_out("linalg.solve", linalg::solve(a, b, left), out);
  }, arg("A"), arg("B"), nb::kw_only(), arg("left") = true, arg("out") = nb::none());
  la.def("cholesky", [](const Tensor& a, bool upper, nb::handle out) {
    return write_out("linalg.cholesky", linalg::cholesky(a, upper), out);
  }, arg("A"), nb::kw_only(), arg("upper") = false, arg("out") = nb::none());
  la.def("qr", [](const Tensor& a, std::string_view mode) {
    auto [q, r] = linalg::qr(a, mode);
    return return_type("qr", {q, r});
  }, arg("A"), arg("mode") = "reduced");
  la.def("eigh", [](const Tensor& a, std::string_view uplo) {
    auto [w, v] = linalg::eigh(a, uplo);
    return return_type("eigh", {w, v});
  }, arg("A"), arg("UPLO") = "L");
  la.def("eigvalsh", &linalg::eigvalsh, arg("A"), arg("UPLO") = "L");
  la.def("svd", [](const Tensor& a, bool full_matrices, std::optional<std::string_view> driver) {
    (void)driver;  // one CPU driver (gesdd), as PyTorch on CPU
    auto [u, s, vh] = linalg::svd(a, full_matrices);
    return return_type("svd", {u, s, vh});
  }, arg("A"), arg("full_matrices") = true, nb::kw_only(), arg("driver") = nb::none());
  la.def("svdvals", [](const Tensor& a, std::optional<std::string_view> driver) {
    (void)driver;
    return linalg::svdvals(a);
  }, arg("A"), nb::kw_only(), arg("driver") = nb::none());
  la.def("lstsq", [](const Tensor& a, const Tensor& b, std::optional<double> rcond,
                     std::optional<std::string_view> driver) {
    auto [x, res, rank, sv] = linalg::lstsq(a, b, rcond, driver);
    return return_type("lstsq", {x, res, rank, sv});
  }, arg("A"), arg("B"), arg("rcond") = nb::none(), nb::kw_only(), arg("driver") = nb::none());
  la.def("pinv", [](const Tensor& a, std::optional<double> atol, std::optional<double> rtol, bool hermitian,
                    std::optional<double> rcond) {
    return linalg::pinv(a, atol, rcond ? rcond : rtol, hermitian);
  }, arg("A"), nb::kw_only(), arg("atol") = nb::none(), arg("rtol") = nb::none(), arg("hermitian") = false,
         arg("rcond") = nb::none());
  la.def("matrix_rank", [](const Tensor& a, std::optional<double> atol, std::optional<double> rtol, bool hermitian,
                           std::optional<double> tol) {
    return linalg::matrix_rank(a, tol ? tol : atol, tol ? std::optional<double>(0.0) : rtol, hermitian);
  }, arg("A"), nb::kw_only(), arg("atol") = nb::none(), arg("rtol") = nb::none(), arg("hermitian") = false,
         arg("tol") = nb::none());
  la.def("matrix_power", &linalg::matrix_power, arg("A"), arg("n"));
  la.def("cross", [](const Tensor& a, const Tensor& b, int64_t dim) { return linalg::cross(a, b, dim); },
         arg("input"), arg("other"), nb::kw_only(), arg("dim") = -1);
  la.def("multi_dot", [](const std::vector<Tensor>& ts) { return multi_dot(ts); }, arg("tensors"));
  la.def("matmul", &matmul, arg("input"), arg("other"));
  la.def("norm", [](const Tensor& a, nb::handle ord, nb::handle dim, bool keepdim, std::optional<DType> dtype) {
    return linalg::norm(a, ord_from_python(ord, "linalg.norm"), dims_from_python(dim, "linalg.norm"), keepdim, dtype);
  }, arg("A"), arg("ord") = nb::none(), arg("dim") = nb::none(), arg("keepdim") = false, nb::kw_only(),
         arg("dtype") = nb::none());
  la.def("vector_norm", [](const Tensor& a, nb::handle ord, nb::handle dim, bool keepdim, std::optional<DType> dtype) {
    return linalg::vector_norm(a, ord_number(ord, "linalg.vector_norm"), dims_from_python(dim, "linalg.vector_norm"),
                               keepdim, dtype);
  }, arg("x"), arg("ord") = 2, arg("dim") = nb::none(), arg("keepdim") = false, nb::kw_only(),
         arg("dtype") = nb::none());
  la.def("matrix_norm", [](const Tensor& a, nb::handle ord, nb::handle dim, bool keepdim, std::optional<DType> dtype) {
    auto o = ord_from_python(ord, "linalg.matrix_norm");
    EMBER_CHECK(o.has_value(), TypeError, "[linalg.matrix_norm] ord must not be None");
    auto d = dims_from_python(dim, "linalg.matrix_norm");
    return linalg::matrix_norm(a, *o, d.value_or(DimVector{-2, -1}), keepdim, dtype);
  }, arg("A"), arg("ord") = "fro", arg("dim") = nb::make_tuple(-2, -1), arg("keepdim") = false, nb::kw_only(),
         arg("dtype") = nb::none());

  // ---- top-level forms and Tensor methods
  m.def("det", &linalg::det, arg("input"));
  m.def("logdet", [](const Tensor& a) {
    auto [sign, logabs] = linalg::slogdet(a);
    return add(log(sign), logabs);  // nan for negative determinants, as PyTorch
  }, arg("input"));
  m.def("slogdet", [](const Tensor& a) {
    auto [sign, logabs] = linalg::slogdet(a);
    return return_type("slogdet", {sign, logabs});
  }, arg("input"));
  m.def("inverse", &linalg::inv, arg("input"));
  m.def("pinverse", [](const Tensor& a, double rcond) { return linalg::pinv(a, std::nullopt, rcond, false); },
        arg("input"), arg("rcond") = 1e-15);
  m.def("svd", &torch_svd, arg("input"), arg("some") = true, arg("compute_uv") = true);
  m.def("matrix_power", &linalg::matrix_power, arg("input"), arg("n"));
  m.def("cholesky", &linalg::cholesky, arg("input"), arg("upper") = false);
  cls.def("det", &linalg::det)
      .def("slogdet", [](const Tensor& a) {
        auto [sign, logabs] = linalg::slogdet(a);
        return return_type("slogdet", {sign, logabs});
      })
      .def("inverse", &linalg::inv)
      .def("pinverse", [](const Tensor& a, double rcond) { return linalg::pinv(a, std::nullopt, rcond, false); },
           arg("rcond") = 1e-15)
      .def("svd", &torch_svd, arg("some") = true, arg("compute_uv") = true)
      .def("matrix_power", &linalg::matrix_power, arg("n"))
      .def("cholesky", &linalg::cholesky, arg("upper") = false);
  // ember.norm / Tensor.norm are bound with the reductions (python/src/reduce.cpp).
}

static BindingRegistrar reg_products(40, &bind_products);
static BindingRegistrar reg_linalg(41, &bind_linalg);

}  // namespace ember::py
