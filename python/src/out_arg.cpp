// The out= argument of module functions, and named tuples of outputs.
#include "bind.h"

namespace ember::py {

// Writes result into out (same shape; dtype castable), as out= does.
nb::object write_out(const char* op, Tensor&& result, nb::handle out) {
  if (out.is_none()) return nb::cast(std::move(result));  // no handle copy
  return write_out(op, static_cast<const Tensor&>(result), out);
}

nb::object write_out(const char* op, const Tensor& result, nb::handle out) {
  if (out.is_none()) return nb::cast(result);
  Tensor o = nb::cast<Tensor>(out);
  EMBER_CHECK(o.sizes() == result.sizes(), RuntimeError, "[", op, "] out has shape ", o.sizes(),
              " but the result has shape ", result.sizes());
  EMBER_CHECK(!(is_floating_point(result.dtype()) && is_integral(o.dtype(), true)) &&
                  !(is_complex(result.dtype()) && !is_complex(o.dtype())),
              RuntimeError, "[", op, "] result type ", dtype_name(result.dtype()),
              " can't be cast to the desired output type ", dtype_name(o.dtype()));
  o.copy_(result);
  return nb::borrow(out);  // the very object passed, as PyTorch returns it
}

nb::object return_type(const char* name, std::initializer_list<Tensor> outputs) {
  nb::object cls = nb::module_::import_("ember.return_types").attr(name);
  nb::list items;
  for (const Tensor& t : outputs) items.append(nb::cast(t));
  return cls(*nb::tuple(items));
}

}  // namespace ember::py
