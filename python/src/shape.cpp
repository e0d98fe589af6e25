// Shape and data-movement ops (include/ember/ops/shape.h): module functions
// and Tensor methods. Arguments that PyTorch accepts as an int or a
// sequence, or as varargs or one sequence, are parsed here.
#include "bind.h"

namespace ember::py {

namespace {

std::string py_type_name(nb::handle h) { return nb::cast<std::string>(h.type().attr("__name__")); }

// A Python int (or anything with __index__ that is not a tensor).
bool is_int(nb::handle h) { return PyIndex_Check(h.ptr()) && !nb::isinstance<Tensor>(h); }
int64_t as_int(nb::handle h) {
  nb::object i = nb::steal(PyNumber_Index(h.ptr()));
  if (!i.is_valid()) throw nb::python_error();
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
  EMBER_CHECK(!overflow, RuntimeError, "Overflow when unpacking long");
  return v;
}

// A list or tuple of tensors.
std::vector<Tensor> tensor_list(nb::handle seq, const char* op) {
  EMBER_CHECK(PySequence_Check(seq.ptr()) && !nb::isinstance<Tensor>(seq) && !PyUnicode_Check(seq.ptr()),
              TypeError, "[", op, "] ", op, "(): argument 'tensors' must be tuple of Tensors, not ",
              py_type_name(seq));
  nb::sequence s = nb::borrow<nb::sequence>(seq);
  std::vector<Tensor> out;
  size_t n = nb::len(s);
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    nb::object item = s[i];
    EMBER_CHECK(nb::isinstance<Tensor>(item), TypeError, "[", op, "] expected Tensor as element ", i,
                " in argument 0, but got ", py_type_name(item));
    out.push_back(nb::cast<Tensor>(item));
  }
  return out;
}

// f(t1, t2, ...) or f([t1, t2, ...]).
std::vector<Tensor> tensors_from_args(const nb::args& args, const char* op) {
  if (args.size() == 1 && !nb::isinstance<Tensor>(args[0])) return tensor_list(args[0], op);
  return tensor_list(args, op);
}

// An int or a sequence of ints.
DimVector int_or_ints(nb::handle h, const char* op) {
  if (is_int(h)) return DimVector{as_int(h)};
  return sizes_from_sequence(h, op);
}

nb::tuple to_tuple(const std::vector<Tensor>& ts) {
  nb::list l;
  for (const Tensor& t : ts) l.append(nb::cast(t));
  return nb::tuple(l);
}

Tensor cat_py(nb::handle tensors, int64_t dim, nb::handle out) {
  auto list = tensor_list(tensors, "cat");
  if (out.is_none()) return cat(list, dim);
  Tensor o = nb::cast<Tensor>(out);
  return cat_out(list, dim, o);
}

Tensor stack_py(nb::handle tensors, int64_t dim, nb::handle out) {
  auto list = tensor_list(tensors, "stack");
  if (out.is_none()) return stack(list, dim);
  Tensor o = nb::cast<Tensor>(out);
  return stack_out(list, dim, o);
}

template <Tensor (*F)(const std::vector<Tensor>&)>
void def_stacker(nb::module_& m, const char* name) {
  m.def(name, [name](nb::handle tensors, nb::handle out) {
    return write_out(name, F(tensor_list(tensors, name)), out);
  }, nb::arg("tensors"), nb::kw_only(), nb::arg("out") = nb::none());
}

nb::tuple split_py(const Tensor& t, nb::handle size_or_sizes, int64_t dim) {
  if (is_int(size_or_sizes)) return to_tuple(split(t, as_int(size_or_sizes), dim));
  return to_tuple(split_with_sizes(t, sizes_from_sequence(size_or_sizes, "split"), dim));
}

nb::tuple tensor_split_py(const Tensor& t, nb::handle sections, int64_t dim) {
  if (is_int(sections)) return to_tuple(tensor_split(t, as_int(sections), dim));
  if (nb::isinstance<Tensor>(sections)) {
    Tensor s = nb::cast<Tensor>(sections);
    EMBER_CHECK(s.dtype() == DType::Int64, RuntimeError,
                "[tensor_split] tensor_split expected tensor_indices_or_sections to have dtype of long, but got ",
                dtype_name(s.dtype()));
    EMBER_CHECK(s.dim() <= 1, RuntimeError,
                "[tensor_split] tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                "one-dimensional tensor, but got a tensor with ", s.dim(), " dims");
    if (s.dim() == 0) return to_tuple(tensor_split(t, s.item().to<int64_t>(), dim));
    Tensor c = s.cpu().contiguous();
    const int64_t* p = c.data_ptr<int64_t>();
    return to_tuple(tensor_split_indices(t, DimVector(p, p + c.numel()), dim));
  }
  return to_tuple(tensor_split_indices(t, sizes_from_sequence(sections, "tensor_split"), dim));
}

template <std::vector<Tensor> (*Sections)(const Tensor&, int64_t),
          std::vector<Tensor> (*Indices)(const Tensor&, const DimVector&)>
nb::tuple np_split_py(const Tensor& t, nb::handle sections) {
  if (is_int(sections)) return to_tuple(Sections(t, as_int(sections)));
  return to_tuple(Indices(t, sizes_from_sequence(sections, "split")));
}

Tensor roll_py(const Tensor& t, nb::handle shifts, nb::handle dims) {
  return roll(t, int_or_ints(shifts, "roll"), dims.is_none() ? DimVector{} : int_or_ints(dims, "roll"));
}

Tensor rot90_py(const Tensor& t, int64_t k, nb::handle dims) { return rot90(t, k, int_or_ints(dims, "rot90")); }

Tensor repeat_interleave_py(const Tensor& t, nb::handle repeats, std::optional<int64_t> dim,
                            std::optional<int64_t> output_size) {
  if (nb::isinstance<Tensor>(repeats)) return repeat_interleave(t, nb::cast<Tensor>(repeats), dim, output_size);
  EMBER_CHECK(is_int(repeats), TypeError,
              "[repeat_interleave] repeats must be an int or a Tensor, not ", py_type_name(repeats));
  return repeat_interleave(t, as_int(repeats), dim, output_size);
}

Tensor movedim_py(const Tensor& t, nb::handle src, nb::handle dst) {
  return movedim(t, int_or_ints(src, "movedim"), int_or_ints(dst, "movedim"));
}

// atleast_nd(t) -> tensor; atleast_nd(t1, t2) or atleast_nd([t1, t2]) -> tuple.
template <Tensor (*F)(const Tensor&)>
nb::object atleast_py(const nb::args& args) {
  if (args.size() == 1 && nb::isinstance<Tensor>(args[0])) return nb::cast(F(nb::cast<Tensor>(args[0])));
  std::vector<Tensor> out;
  for (const Tensor& t : tensors_from_args(args, "atleast_nd")) out.push_back(F(t));
  return to_tuple(out);
}

}  // namespace

static void bind_shape(nb::module_& m, nb::class_<Tensor>& cls) {
  // ---- joining
  for (const char* name : {"cat", "concatenate", "concat"}) {
    m.def(name, &cat_py, nb::arg("tensors"), nb::arg("dim") = 0, nb::kw_only(), nb::arg("out") = nb::none());
    m.def(name, &cat_py, nb::arg("tensors"), nb::arg("axis"), nb::kw_only(), nb::arg("out") = nb::none());
  }
  m.def("stack", &stack_py, nb::arg("tensors"), nb::arg("dim") = 0, nb::kw_only(), nb::arg("out") = nb::none());
  m.def("stack", &stack_py, nb::arg("tensors"), nb::arg("axis"), nb::kw_only(), nb::arg("out") = nb::none());
  def_stacker<hstack>(m, "hstack");
  def_stacker<vstack>(m, "vstack");
  def_stacker<vstack>(m, "row_stack");
  def_stacker<dstack>(m, "dstack");
  def_stacker<column_stack>(m, "column_stack");

  // ---- splitting (tuples of views)
  for (const char* name : {"split", "unsafe_split"}) {
    m.def(name, &split_py, nb::arg("tensor"), nb::arg("split_size_or_sections"), nb::arg("dim") = 0);
    cls.def(name, &split_py, nb::arg("split_size"), nb::arg("dim") = 0);
  }
  auto split_sizes = [](const Tensor& t, nb::handle sizes, int64_t dim) {
    return to_tuple(split_with_sizes(t, sizes_from_sequence(sizes, "split_with_sizes"), dim));
  };
  m.def("split_with_sizes", split_sizes, nb::arg("input"), nb::arg("split_sizes"), nb::arg("dim") = 0);
  cls.def("split_with_sizes", split_sizes, nb::arg("split_sizes"), nb::arg("dim") = 0);
  auto chunk_py = [](const Tensor& t, int64_t chunks, int64_t dim) { return to_tuple(chunk(t, chunks, dim)); };
  m.def("chunk", chunk_py, nb::arg("input"), nb::arg("chunks"), nb::arg("dim") = 0);
  cls.def("chunk", chunk_py, nb::arg("chunks"), nb::arg("dim") = 0);
  m.def("tensor_split", &tensor_split_py, nb::arg("input"), nb::arg("indices_or_sections"), nb::arg("dim") = 0);
  cls.def("tensor_split", &tensor_split_py, nb::arg("indices_or_sections"), nb::arg("dim") = 0);
  m.def("hsplit", &np_split_py<hsplit, hsplit>, nb::arg("input"), nb::arg("indices_or_sections"));
  m.def("vsplit", &np_split_py<vsplit, vsplit>, nb::arg("input"), nb::arg("indices_or_sections"));
  m.def("dsplit", &np_split_py<dsplit, dsplit>, nb::arg("input"), nb::arg("indices_or_sections"));
  cls.def("hsplit", &np_split_py<hsplit, hsplit>, nb::arg("indices_or_sections"));
  cls.def("vsplit", &np_split_py<vsplit, vsplit>, nb::arg("indices_or_sections"));
  cls.def("dsplit", &np_split_py<dsplit, dsplit>, nb::arg("indices_or_sections"));

  // ---- flipping, rolling, rotating
  m.def("flip", [](const Tensor& t, nb::handle dims) { return flip(t, int_or_ints(dims, "flip")); },
        nb::arg("input"), nb::arg("dims"));
  cls.def("flip", [](const Tensor& t, nb::args dims) { return flip(t, sizes_from_args(dims, "flip")); });
  m.def("fliplr", &fliplr, nb::arg("input"));
  m.def("flipud", &flipud, nb::arg("input"));
  cls.def("fliplr", &fliplr).def("flipud", &flipud);
  m.def("roll", &roll_py, nb::arg("input"), nb::arg("shifts"), nb::arg("dims") = nb::none());
  cls.def("roll", &roll_py, nb::arg("shifts"), nb::arg("dims") = nb::none());
  m.def("rot90", &rot90_py, nb::arg("input"), nb::arg("k") = 1, nb::arg("dims") = nb::make_tuple(0, 1));
  cls.def("rot90", &rot90_py, nb::arg("k") = 1, nb::arg("dims") = nb::make_tuple(0, 1));

  // ---- repeating
  cls.def("repeat", [](const Tensor& t, nb::args sizes) { return repeat(t, sizes_from_args(sizes, "repeat")); });
  m.def("tile", [](const Tensor& t, nb::handle dims) { return tile(t, int_or_ints(dims, "tile")); },
        nb::arg("input"), nb::arg("dims"));
  cls.def("tile", [](const Tensor& t, nb::args dims) { return tile(t, sizes_from_args(dims, "tile")); });
  m.def("repeat_interleave", &repeat_interleave_py, nb::arg("input"), nb::arg("repeats"), nb::arg("dim") = nb::none(),
        nb::kw_only(), nb::arg("output_size") = nb::none());
  m.def("repeat_interleave", [](const Tensor& repeats, std::optional<int64_t> output_size) {
    return repeat_interleave(repeats, output_size);
  }, nb::arg("repeats"), nb::kw_only(), nb::arg("output_size") = nb::none());
  cls.def("repeat_interleave", &repeat_interleave_py, nb::arg("repeats"), nb::arg("dim") = nb::none(),
          nb::kw_only(), nb::arg("output_size") = nb::none());

  // ---- triangles and diagonals
  auto with_out = [&m](const char* name, Tensor (*f)(const Tensor&, int64_t), const char* arg) {
    m.def(name, [name, f](const Tensor& t, int64_t k, nb::handle out) { return write_out(name, f(t, k), out); },
          nb::arg("input"), nb::arg(arg) = 0, nb::kw_only(), nb::arg("out") = nb::none());
  };
  with_out("tril", &tril, "diagonal");
  with_out("triu", &triu, "diagonal");
  with_out("diag", &diag, "diagonal");
  cls.def("tril", &tril, nb::arg("diagonal") = 0)
      .def("triu", &triu, nb::arg("diagonal") = 0)
      .def("tril_", [](Tensor& t, int64_t k) -> Tensor { return t.copy_(tril(t, k)); }, nb::arg("diagonal") = 0)
      .def("triu_", [](Tensor& t, int64_t k) -> Tensor { return t.copy_(triu(t, k)); }, nb::arg("diagonal") = 0)
      .def("diag", &diag, nb::arg("diagonal") = 0)
      .def("diag_embed", &diag_embed, nb::arg("offset") = 0, nb::arg("dim1") = -2, nb::arg("dim2") = -1)
      .def("diagflat", &diagflat, nb::arg("offset") = 0);
  m.def("diag_embed", &diag_embed, nb::arg("input"), nb::arg("offset") = 0, nb::arg("dim1") = -2,
        nb::arg("dim2") = -1);
  m.def("diagflat", &diagflat, nb::arg("input"), nb::arg("offset") = 0);

  // ---- dims, grids and broadcasting
  for (const char* name : {"movedim", "moveaxis"}) {
    m.def(name, &movedim_py, nb::arg("input"), nb::arg("source"), nb::arg("destination"));
    cls.def(name, &movedim_py, nb::arg("source"), nb::arg("destination"));
  }
  m.def("meshgrid", [](nb::args tensors, std::optional<std::string> indexing) {
    return to_tuple(meshgrid(tensors_from_args(tensors, "meshgrid"), indexing.value_or("ij")));
  }, nb::arg("tensors"), nb::kw_only(), nb::arg("indexing") = nb::none());
  m.def("cartesian_prod", [](nb::args tensors) {
    return cartesian_prod(tensors_from_args(tensors, "cartesian_prod"));
  }, nb::arg("tensors"));
  m.def("broadcast_to", [](const Tensor& t, nb::handle size) {
    return broadcast_to(t, int_or_ints(size, "broadcast_to"));
  }, nb::arg("input"), nb::arg("size"));
  cls.def("broadcast_to", [](const Tensor& t, nb::handle size) {
    return broadcast_to(t, int_or_ints(size, "broadcast_to"));
  }, nb::arg("size"));
  m.def("broadcast_tensors", [](nb::args tensors) {
    return to_tuple(broadcast_tensors(tensors_from_args(tensors, "broadcast_tensors")));
  }, nb::arg("tensors"));
  m.def("broadcast_shapes", [](nb::args shapes) {
    std::vector<DimVector> list;
    for (nb::handle s : shapes) list.push_back(int_or_ints(s, "broadcast_shapes"));
    return make_size(broadcast_shapes(list));
  }, nb::arg("shapes"));
  m.def("atleast_1d", &atleast_py<atleast_1d>, nb::arg("tensors"));
  m.def("atleast_2d", &atleast_py<atleast_2d>, nb::arg("tensors"));
  m.def("atleast_3d", &atleast_py<atleast_3d>, nb::arg("tensors"));
  m.def("ravel", &ravel, nb::arg("input"));
  cls.def("ravel", &ravel);
}

static BindingRegistrar reg(35, &bind_shape);

}  // namespace ember::py
