// Sorting, selection, uniqueness, searching and counting: module functions
// and Tensor methods (named tuples from ember.return_types).
#include <nanobind/stl/tuple.h>

#include "bind.h"
#include "ember/ops/sort.h"

namespace ember::py {

namespace {

nb::object pair_result(const char* name, const std::tuple<Tensor, Tensor>& r) {
  return return_type(name, {std::get<0>(r), std::get<1>(r)});
}

// out=(values, indices) of module functions.
nb::object write_pair_out(const char* name, const std::tuple<Tensor, Tensor>& r, nb::handle out) {
  if (out.is_none()) return pair_result(name, r);
  EMBER_CHECK(nb::len(out) == 2, TypeError, "[", name, "] out must be a tuple of two tensors");
  Tensor v = write_out(name, std::get<0>(r), out[0]);
  Tensor i = write_out(name, std::get<1>(r), out[1]);
  return return_type(name, {v, i});
}

nb::object sort_py(const Tensor& t, int64_t dim, bool descending, bool stable) {
  return pair_result("sort", sort(t, dim, descending, stable));
}
nb::object topk_py(const Tensor& t, int64_t k, int64_t dim, bool largest, bool sorted) {
  return pair_result("topk", topk(t, k, dim, largest, sorted));
}
nb::object kthvalue_py(const Tensor& t, int64_t k, int64_t dim, bool keepdim) {
  return pair_result("kthvalue", kthvalue(t, k, dim, keepdim));
}

}  // namespace

static void bind_sort(nb::module_& m, nb::class_<Tensor>& cls) {
  m.def("sort", [](const Tensor& t, int64_t dim, bool descending, bool stable, nb::handle out) {
    return write_pair_out("sort", sort(t, dim, descending, stable), out);
  }, nb::arg("input"), nb::arg("dim") = -1, nb::arg("descending") = false,
     nb::arg("stable") = false, nb::kw_only(), nb::arg("out") = nb::none());
  cls.def("sort", &sort_py, nb::arg("dim") = -1, nb::arg("descending") = false,
          nb::arg("stable") = false);

  m.def("argsort", &argsort, nb::arg("input"), nb::arg("dim") = -1, nb::arg("descending") = false,
        nb::arg("stable") = false);
  cls.def("argsort", &argsort, nb::arg("dim") = -1, nb::arg("descending") = false,
          nb::arg("stable") = false);
  m.def("msort", [](const Tensor& t, nb::handle out) { return write_out("msort", msort(t), out); },
        nb::arg("input"), nb::kw_only(), nb::arg("out") = nb::none());
  cls.def("msort", &msort);

  m.def("topk", [](const Tensor& t, int64_t k, int64_t dim, bool largest, bool sorted,
                   nb::handle out) {
    return write_pair_out("topk", topk(t, k, dim, largest, sorted), out);
  }, nb::arg("input"), nb::arg("k"), nb::arg("dim") = -1, nb::arg("largest") = true,
     nb::arg("sorted") = true, nb::kw_only(), nb::arg("out") = nb::none());
  cls.def("topk", &topk_py, nb::arg("k"), nb::arg("dim") = -1, nb::arg("largest") = true,
          nb::arg("sorted") = true);

  m.def("kthvalue", [](const Tensor& t, int64_t k, int64_t dim, bool keepdim, nb::handle out) {
    return write_pair_out("kthvalue", kthvalue(t, k, dim, keepdim), out);
  }, nb::arg("input"), nb::arg("k"), nb::arg("dim") = -1, nb::arg("keepdim") = false,
     nb::kw_only(), nb::arg("out") = nb::none());
  cls.def("kthvalue", &kthvalue_py, nb::arg("k"), nb::arg("dim") = -1, nb::arg("keepdim") = false);
}

static BindingRegistrar reg(50, &bind_sort);

}  // namespace ember::py
