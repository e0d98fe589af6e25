// Sorting, selection, uniqueness, searching and counting: module functions
// and Tensor methods (named tuples from ember.return_types).
#include <nanobind/stl/tuple.h>

#include "bind.h"
#include "ember/ops/elementwise.h"
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
  write_out(name, std::get<0>(r), out[0]);
  write_out(name, std::get<1>(r), out[1]);
  // The named tuple holds the caller's own out tensors (same Python objects).
  return nb::module_::import_("ember.return_types").attr(name)(out[0], out[1]);
}

nb::object sort_py(const Tensor& t, int64_t dim, bool descending, bool stable) {
  return pair_result("sort", sort(t, dim, descending, stable));
}
nb::object topk_py(const Tensor& t, int64_t k, int64_t dim, bool largest, bool sorted) {
  return pair_result("topk", topk(t, k, dim, largest, sorted));
}
// unique's result: the values alone, or a tuple with the extras asked for.
nb::object unique_result(const std::tuple<Tensor, Tensor, Tensor>& r, bool inverse, bool counts) {
  if (!inverse && !counts) return nb::cast(std::get<0>(r));
  nb::list items;
  items.append(nb::cast(std::get<0>(r)));
  if (inverse) items.append(nb::cast(std::get<1>(r)));
  if (counts) items.append(nb::cast(std::get<2>(r)));
  return nb::tuple(items);
}

nb::object unique_py(const Tensor& t, bool sorted, bool inverse, bool counts,
                     std::optional<int64_t> dim) {
  return unique_result(unique(t, sorted, dim), inverse, counts);
}
nb::object unique_consecutive_py(const Tensor& t, bool inverse, bool counts,
                                 std::optional<int64_t> dim) {
  return unique_result(unique_consecutive(t, dim), inverse, counts);
}

// A tensor, or a Python number as a 0-d tensor (searchsorted/bucketize inputs).
Tensor tensor_or_number(nb::handle h, const char* op) {
  if (nb::isinstance<Tensor>(h)) return nb::cast<Tensor>(h);
  Scalar s;
  EMBER_CHECK(scalar_from_python(h, s), TypeError, "[", op, "] expected a Tensor or a number, got ",
              nb::cast<std::string>(h.type().attr("__name__")));
  return scalar_tensor(s);
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

  m.def("unique", &unique_py, nb::arg("input"), nb::arg("sorted") = true,
        nb::arg("return_inverse") = false, nb::arg("return_counts") = false,
        nb::arg("dim") = nb::none());
  cls.def("unique", &unique_py, nb::arg("sorted") = true, nb::arg("return_inverse") = false,
          nb::arg("return_counts") = false, nb::arg("dim") = nb::none());
  m.def("unique_consecutive", &unique_consecutive_py, nb::arg("input"),
        nb::arg("return_inverse") = false, nb::arg("return_counts") = false,
        nb::arg("dim") = nb::none());
  cls.def("unique_consecutive", &unique_consecutive_py, nb::arg("return_inverse") = false,
          nb::arg("return_counts") = false, nb::arg("dim") = nb::none());

  m.def("searchsorted", [](const Tensor& seq, nb::handle values, bool out_int32, bool right,
                           std::optional<std::string_view> side, std::optional<Tensor> sorter,
                           nb::handle out) {
    Tensor v = tensor_or_number(values, "searchsorted");
    Tensor r = nb::isinstance<Tensor>(values)
                   ? searchsorted(seq, v, out_int32, right, side, sorter)
                   : searchsorted(seq, v.item(), out_int32, right, side, sorter);
    return write_out("searchsorted", r, out);
  }, nb::arg("sorted_sequence"), nb::arg("input"), nb::kw_only(), nb::arg("out_int32") = false,
     nb::arg("right") = false, nb::arg("side") = nb::none(), nb::arg("sorter") = nb::none(),
     nb::arg("out") = nb::none());
  m.def("bucketize", [](nb::handle input, const Tensor& boundaries, bool out_int32, bool right,
                        nb::handle out) {
    return write_out("bucketize",
                     bucketize(tensor_or_number(input, "bucketize"), boundaries, out_int32, right),
                     out);
  }, nb::arg("input"), nb::arg("boundaries"), nb::kw_only(), nb::arg("out_int32") = false,
     nb::arg("right") = false, nb::arg("out") = nb::none());

  m.def("bincount", &bincount, nb::arg("input"), nb::arg("weights") = nb::none(),
        nb::arg("minlength") = 0);
  cls.def("bincount", &bincount, nb::arg("weights") = nb::none(), nb::arg("minlength") = 0);
  m.def("histc", [](const Tensor& t, int64_t bins, double min, double max, nb::handle out) {
    return write_out("histc", histc(t, bins, min, max), out);
  }, nb::arg("input"), nb::arg("bins") = 100, nb::arg("min") = 0, nb::arg("max") = 0,
     nb::kw_only(), nb::arg("out") = nb::none());
  auto histogram_py = [](const Tensor& t, nb::handle bins, std::optional<std::vector<double>> range,
                         std::optional<Tensor> weight, bool density) {
    std::tuple<Tensor, Tensor> r;
    if (nb::isinstance<Tensor>(bins)) {
      EMBER_CHECK(!range, RuntimeError, "[histogram] range can only be given with an integer bins");
      r = histogram(t, nb::cast<const Tensor&>(bins), weight, density);
    } else {
      std::optional<std::pair<double, double>> lim;
      if (range) {
        EMBER_CHECK(range->size() == 2, RuntimeError,
                    "[histogram] range should have 2 elements, got ", range->size());
        lim = std::make_pair((*range)[0], (*range)[1]);
      }
      r = histogram(t, nb::cast<int64_t>(bins), lim, weight, density);
    }
    return pair_result("histogram", r);
  };
  m.def("histogram", histogram_py, nb::arg("input"), nb::arg("bins") = 100, nb::kw_only(),
        nb::arg("range") = nb::none(), nb::arg("weight") = nb::none(), nb::arg("density") = false);
  cls.def("histogram", histogram_py, nb::arg("bins") = 100, nb::kw_only(),
          nb::arg("range") = nb::none(), nb::arg("weight") = nb::none(),
          nb::arg("density") = false);
  cls.def("histc", &histc, nb::arg("bins") = 100, nb::arg("min") = 0, nb::arg("max") = 0);
}

static BindingRegistrar reg(50, &bind_sort);

}  // namespace ember::py
