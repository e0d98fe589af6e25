// gather and the scatter family: module functions and Tensor methods. The
// in-place methods return self, the same Python object.
#include "bind.h"
#include "ember/ops/scatter.h"

namespace ember::py {

namespace {

nb::object self_object(Tensor& t) {
  nb::object o = nb::find(t);
  return o.is_valid() ? o : nb::cast(t);
}

// scatter's src may be a tensor or a number (or given as value=).
Tensor& scatter_any_(Tensor& self, int64_t dim, const Tensor& index, nb::handle src,
                     nb::handle value, std::optional<std::string_view> reduce) {
  nb::handle s = src.is_none() ? value : src;
  EMBER_CHECK(!s.is_none(), TypeError, "[scatter] expected a src tensor or a value");
  if (nb::isinstance<Tensor>(s)) return scatter_(self, dim, index, nb::cast<const Tensor&>(s), reduce);
  Scalar v;
  EMBER_CHECK(scalar_from_python(s, v), TypeError, "[scatter] src must be a Tensor or a number, got ",
              nb::cast<std::string>(s.type().attr("__name__")));
  return scatter_(self, dim, index, v, reduce);
}

}  // namespace

static void bind_scatter(nb::module_& m, nb::class_<Tensor>& cls) {
  m.def("gather", [](const Tensor& t, int64_t dim, const Tensor& index, bool, nb::handle out) {
    return write_out("gather", gather(t, dim, index), out);
  }, nb::arg("input"), nb::arg("dim"), nb::arg("index"), nb::kw_only(),
     nb::arg("sparse_grad") = false, nb::arg("out") = nb::none());
  cls.def("gather", [](const Tensor& t, int64_t dim, const Tensor& index, bool) {
    return gather(t, dim, index);
  }, nb::arg("dim"), nb::arg("index"), nb::kw_only(), nb::arg("sparse_grad") = false);

  auto scatter_fn = [](const Tensor& t, int64_t dim, const Tensor& index, nb::handle src,
                       nb::handle value, std::optional<std::string_view> reduce) {
    Tensor out = t.clone();
    return scatter_any_(out, dim, index, src, value, reduce);
  };
  m.def("scatter", scatter_fn, nb::arg("input"), nb::arg("dim"), nb::arg("index"),
        nb::arg("src") = nb::none(), nb::kw_only(), nb::arg("value") = nb::none(),
        nb::arg("reduce") = nb::none());
  cls.def("scatter", scatter_fn, nb::arg("dim"), nb::arg("index"), nb::arg("src") = nb::none(),
          nb::kw_only(), nb::arg("value") = nb::none(), nb::arg("reduce") = nb::none());
  cls.def("scatter_", [](Tensor& t, int64_t dim, const Tensor& index, nb::handle src,
                         nb::handle value, std::optional<std::string_view> reduce) {
    scatter_any_(t, dim, index, src, value, reduce);
    return self_object(t);
  }, nb::arg("dim"), nb::arg("index"), nb::arg("src") = nb::none(), nb::kw_only(),
     nb::arg("value") = nb::none(), nb::arg("reduce") = nb::none());

  m.def("scatter_add", &scatter_add, nb::arg("input"), nb::arg("dim"), nb::arg("index"),
        nb::arg("src"));
  cls.def("scatter_add", &scatter_add, nb::arg("dim"), nb::arg("index"), nb::arg("src"));
  cls.def("scatter_add_", [](Tensor& t, int64_t dim, const Tensor& index, const Tensor& src) {
    scatter_add_(t, dim, index, src);
    return self_object(t);
  }, nb::arg("dim"), nb::arg("index"), nb::arg("src"));

  m.def("scatter_reduce", &scatter_reduce, nb::arg("input"), nb::arg("dim"), nb::arg("index"),
        nb::arg("src"), nb::arg("reduce"), nb::kw_only(), nb::arg("include_self") = true);
  cls.def("scatter_reduce", &scatter_reduce, nb::arg("dim"), nb::arg("index"), nb::arg("src"),
          nb::arg("reduce"), nb::kw_only(), nb::arg("include_self") = true);
  cls.def("scatter_reduce_", [](Tensor& t, int64_t dim, const Tensor& index, const Tensor& src,
                                std::string_view reduce, bool include_self) {
    scatter_reduce_(t, dim, index, src, reduce, include_self);
    return self_object(t);
  }, nb::arg("dim"), nb::arg("index"), nb::arg("src"), nb::arg("reduce"), nb::kw_only(),
     nb::arg("include_self") = true);
}

static BindingRegistrar reg(50, &bind_scatter);

}  // namespace ember::py
