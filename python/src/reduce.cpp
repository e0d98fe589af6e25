// Reductions, scans and softmax: module functions (with out= where PyTorch
// has it) and Tensor methods with the same arguments.
#include <nanobind/stl/pair.h>

#include <cmath>
#include <limits>

#include "bind.h"
#include "ember/ops/linalg.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/reduce.h"

namespace ember::py {

namespace {

// dim=None, an int, or a tuple/list of ints.
OptDims dims_arg(nb::handle h, const char* op) {
  if (h.is_none()) return std::nullopt;
  if (PyIndex_Check(h.ptr()) && !nb::isinstance<Tensor>(h)) return DimVector{nb::cast<int64_t>(h)};
  EMBER_CHECK(PySequence_Check(h.ptr()) && !PyUnicode_Check(h.ptr()), TypeError, "[", op,
              "] dim must be an int or a tuple of ints, got ", nb::cast<std::string>(h.type().attr("__name__")));
  DimVector out;
  for (nb::handle d : nb::borrow<nb::sequence>(h)) {
    EMBER_CHECK(PyIndex_Check(d.ptr()), TypeError, "[", op, "] dim must be an int or a tuple of ints, got an item of type ",
                nb::cast<std::string>(d.type().attr("__name__")));
    out.push_back(nb::cast<int64_t>(d));
  }
  return out;
}

std::optional<int64_t> one_dim_arg(nb::handle h, const char* op) {
  if (h.is_none()) return std::nullopt;
  EMBER_CHECK(PyIndex_Check(h.ptr()), TypeError, "[", op, "] dim must be an int, got ",
              nb::cast<std::string>(h.type().attr("__name__")));
  return nb::cast<int64_t>(h);
}

// var/std: correction= wins; else unbiased (True: 1, False: 0); default 1.
std::optional<double> correction_arg(nb::handle unbiased, nb::handle correction) {
  if (!correction.is_none()) return nb::cast<double>(correction);
  if (!unbiased.is_none()) return nb::cast<bool>(unbiased) ? 1.0 : 0.0;
  return std::nullopt;
}

// var(x, False) passes unbiased positionally where dim goes.
void split_dim_unbiased(nb::handle& dim, nb::handle& unbiased) {
  if (PyBool_Check(dim.ptr())) {
    unbiased = dim;
    dim = nb::none();
  }
}

double norm_p(nb::handle p) {
  if (p.is_none()) return 2.0;
  if (PyUnicode_Check(p.ptr())) {
    std::string s = nb::cast<std::string>(p);
    if (s == "fro") return 2.0;
    EMBER_CHECK(s != "nuc", NotImplementedError, "[norm] the nuclear norm needs linear algebra (ember.linalg)");
    EMBER_THROW(ValueError, "[norm] unsupported p '", s, "' (use a number, 'fro' or inf)");
  }
  return nb::cast<double>(p);
}

Tensor q_arg(nb::handle q, const Tensor& a) {
  if (nb::isinstance<Tensor>(q)) return nb::cast<Tensor>(q);
  return full({}, Scalar(nb::cast<double>(q)), TensorOptions(a.dtype()).device(a.device()));
}

template <class F, class... Extra>
void def_both(nb::module_& m, nb::class_<Tensor>& cls, const char* name, F f, const Extra&... extra) {
  m.def(name, f, nb::arg("input"), extra...);
  cls.def(name, f, extra...);
}

using MaybeDType = std::optional<DType>;
#define EMBER_OUT nb::kw_only(), nb::arg("out") = nb::none()

}  // namespace

static void bind_reduce(nb::module_& m, nb::class_<Tensor>& cls) {
  // ---- sums, products, means
  using SumFn = Tensor (*)(const Tensor&, const OptDims&, bool, MaybeDType);
  // Each op with dims is bound twice: dim= and NumPy's axis= (as PyTorch accepts).
  auto sum_like = [&](const char* name, SumFn f) {
    auto fn = [name, f](const Tensor& a, nb::handle dim, bool keepdim, MaybeDType dtype, nb::handle out) {
      return write_out(name, f(a, dims_arg(dim, name), keepdim, dtype), out);
    };
    for (const char* dim_name : {"dim", "axis"}) {
      def_both(m, cls, name, fn, nb::arg(dim_name) = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
               nb::arg("dtype") = nb::none(), nb::arg("out") = nb::none());
    }
  };
  sum_like("sum", &sum);
  sum_like("nansum", &nansum);
  sum_like("prod", &prod);
  sum_like("mean", &mean);
  sum_like("nanmean", &nanmean);

  // ---- extremes
  using MaxAll = Tensor (*)(const Tensor&);
  using MaxDim = std::pair<Tensor, Tensor> (*)(const Tensor&, int64_t, bool);
  using Pairwise = Tensor (*)(const Tensor&, const Tensor&);
  auto max_like = [&](const char* name, MaxAll all, MaxDim along, Pairwise other) {
    def_both(m, cls, name, [=](const Tensor& a, nb::handle dim, bool keepdim, nb::handle out) -> nb::object {
      if (dim.is_none()) return nb::cast(write_out(name, all(a), out));
      if (nb::isinstance<Tensor>(dim)) return nb::cast(write_out(name, other(a, nb::cast<Tensor>(dim)), out));
      auto [v, i] = along(a, *one_dim_arg(dim, name), keepdim);
      EMBER_CHECK(out.is_none(), NotImplementedError, "[", name, "] out= with dim is not supported");
      return return_type(name, {v, i});
    }, nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, EMBER_OUT);
  };
  max_like("max", &max, &max, &maximum);
  max_like("min", &min, &min, &minimum);

  using AmaxFn = Tensor (*)(const Tensor&, const OptDims&, bool);
  auto amax_like = [&](const char* name, AmaxFn f) {
    auto fn = [name, f](const Tensor& a, nb::handle dim, bool keepdim, nb::handle out) {
      return write_out(name, f(a, dims_arg(dim, name), keepdim), out);
    };
    for (const char* dim_name : {"dim", "axis"}) {
      def_both(m, cls, name, fn, nb::arg(dim_name) = nb::none(), nb::arg("keepdim") = false, EMBER_OUT);
    }
  };
  amax_like("amax", &amax);
  amax_like("amin", &amin);
  amax_like("all", &all);
  amax_like("any", &any);
  def_both(m, cls, "aminmax", [](const Tensor& a, nb::handle dim, bool keepdim) {
    auto [lo, hi] = aminmax(a, one_dim_arg(dim, "aminmax"), keepdim);
    return return_type("aminmax", {lo, hi});
  }, nb::kw_only(), nb::arg("dim") = nb::none(), nb::arg("keepdim") = false);

  using ArgFn = Tensor (*)(const Tensor&, std::optional<int64_t>, bool);
  auto arg_like = [&](const char* name, ArgFn f) {
    auto fn = [name, f](const Tensor& a, nb::handle dim, bool keepdim, nb::handle out) {
      return write_out(name, f(a, one_dim_arg(dim, name), keepdim), out);
    };
    for (const char* dim_name : {"dim", "axis"}) {
      def_both(m, cls, name, fn, nb::arg(dim_name) = nb::none(), nb::arg("keepdim") = false, EMBER_OUT);
    }
  };
  arg_like("argmax", &argmax);
  arg_like("argmin", &argmin);
  def_both(m, cls, "count_nonzero", [](const Tensor& a, nb::handle dim) {
    return count_nonzero(a, dims_arg(dim, "count_nonzero"));
  }, nb::arg("dim") = nb::none());

  // ---- statistics
  def_both(m, cls, "var", [](const Tensor& a, nb::handle dim, nb::handle unbiased, bool keepdim, nb::handle correction,
                             nb::handle out) {
    split_dim_unbiased(dim, unbiased);
    return write_out("var", var(a, dims_arg(dim, "var"), correction_arg(unbiased, correction), keepdim), out);
  }, nb::arg("dim") = nb::none(), nb::arg("unbiased") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
     nb::arg("correction") = nb::none(), nb::arg("out") = nb::none());
  def_both(m, cls, "std", [](const Tensor& a, nb::handle dim, nb::handle unbiased, bool keepdim, nb::handle correction,
                             nb::handle out) {
    split_dim_unbiased(dim, unbiased);
    return write_out("std", std_dev(a, dims_arg(dim, "std"), correction_arg(unbiased, correction), keepdim), out);
  }, nb::arg("dim") = nb::none(), nb::arg("unbiased") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
     nb::arg("correction") = nb::none(), nb::arg("out") = nb::none());
  m.def("var_mean", [](const Tensor& a, nb::handle dim, nb::handle unbiased, bool keepdim, nb::handle correction) {
    split_dim_unbiased(dim, unbiased);
    return var_mean(a, dims_arg(dim, "var_mean"), correction_arg(unbiased, correction), keepdim);
  }, nb::arg("input"), nb::arg("dim") = nb::none(), nb::arg("unbiased") = nb::none(), nb::arg("keepdim") = false,
     nb::kw_only(), nb::arg("correction") = nb::none());
  m.def("std_mean", [](const Tensor& a, nb::handle dim, nb::handle unbiased, bool keepdim, nb::handle correction) {
    split_dim_unbiased(dim, unbiased);
    return std_mean(a, dims_arg(dim, "std_mean"), correction_arg(unbiased, correction), keepdim);
  }, nb::arg("input"), nb::arg("dim") = nb::none(), nb::arg("unbiased") = nb::none(), nb::arg("keepdim") = false,
     nb::kw_only(), nb::arg("correction") = nb::none());
  def_both(m, cls, "logsumexp", [](const Tensor& a, nb::handle dim, bool keepdim, nb::handle out) {
    return write_out("logsumexp", logsumexp(a, *dims_arg(dim, "logsumexp"), keepdim), out);
  }, nb::arg("dim"), nb::arg("keepdim") = false, EMBER_OUT);
  def_both(m, cls, "norm", [](const Tensor& a, nb::handle p, nb::handle dim, bool keepdim, nb::handle out,
                              MaybeDType dtype) {
    // torch.norm(p='nuc') is a matrix norm (over the last two dims by default).
    if (nb::isinstance<nb::str>(p) && nb::cast<std::string>(p) == "nuc") {
      DimVector dims = dims_arg(dim, "norm").value_or(DimVector{-2, -1});
      return write_out("norm", linalg::matrix_norm(a, std::string("nuc"), dims, keepdim, dtype), out);
    }
    return write_out("norm", norm(a, norm_p(p), dims_arg(dim, "norm"), keepdim, dtype), out);
  }, nb::arg("p") = "fro", nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::arg("out") = nb::none(),
     nb::arg("dtype") = nb::none());

  // ---- order statistics
  using MedAll = Tensor (*)(const Tensor&);
  auto median_like = [&](const char* name, MedAll all, MaxDim along) {
    def_both(m, cls, name, [=](const Tensor& a, nb::handle dim, bool keepdim) -> nb::object {
      if (dim.is_none()) return nb::cast(all(a));
      auto [v, i] = along(a, *one_dim_arg(dim, name), keepdim);
      return return_type(name, {v, i});
    }, nb::arg("dim") = nb::none(), nb::arg("keepdim") = false);
  };
  median_like("median", &median, &median);
  median_like("nanmedian", &nanmedian, &nanmedian);
  def_both(m, cls, "mode", [](const Tensor& a, int64_t dim, bool keepdim) {
    auto [v, i] = mode(a, dim, keepdim);
    return return_type("mode", {v, i});
  }, nb::arg("dim") = -1, nb::arg("keepdim") = false);
  using QuantFn = Tensor (*)(const Tensor&, const Tensor&, std::optional<int64_t>, bool, std::string_view);
  auto quantile_like = [&](const char* name, QuantFn f) {
    def_both(m, cls, name, [name, f](const Tensor& a, nb::handle q, nb::handle dim, bool keepdim,
                                     std::string_view interpolation, nb::handle out) {
      return write_out(name, f(a, q_arg(q, a), one_dim_arg(dim, name), keepdim, interpolation), out);
    }, nb::arg("q"), nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
       nb::arg("interpolation") = "linear", nb::arg("out") = nb::none());
  };
  quantile_like("quantile", &quantile);
  quantile_like("nanquantile", &nanquantile);

  // ---- scans
  using ScanFn = Tensor (*)(const Tensor&, int64_t, MaybeDType);
  auto scan_like = [&](const char* name, ScanFn f) {
    def_both(m, cls, name, [name, f](const Tensor& a, int64_t dim, MaybeDType dtype, nb::handle out) {
      return write_out(name, f(a, dim, dtype), out);
    }, nb::arg("dim"), nb::kw_only(), nb::arg("dtype") = nb::none(), nb::arg("out") = nb::none());
  };
  scan_like("cumsum", &cumsum);
  scan_like("cumprod", &cumprod);
  using CumExtFn = std::pair<Tensor, Tensor> (*)(const Tensor&, int64_t);
  auto cumext_like = [&](const char* name, CumExtFn f) {
    def_both(m, cls, name, [name, f](const Tensor& a, int64_t dim) {
      auto [v, i] = f(a, dim);
      return return_type(name, {v, i});
    }, nb::arg("dim"));
  };
  cumext_like("cummax", &cummax);
  cumext_like("cummin", &cummin);

  // ---- softmax
  def_both(m, cls, "softmax", [](const Tensor& a, int64_t dim, MaybeDType dtype) { return softmax(a, dim, dtype); },
           nb::arg("dim"), nb::arg("dtype") = nb::none());
  def_both(m, cls, "log_softmax",
           [](const Tensor& a, int64_t dim, MaybeDType dtype) { return log_softmax(a, dim, dtype); }, nb::arg("dim"),
           nb::arg("dtype") = nb::none());
}

static BindingRegistrar reg(45, &bind_reduce);

}  // namespace ember::py
