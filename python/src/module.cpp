// The extension module ember._C: exception translation, then every
// registered binding file in order (Note [Binding registry]).
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "bind.h"
#include "operators.h"

namespace ember::py {

void translate_exception(const std::exception_ptr& p, void*) {
  try {
    std::rethrow_exception(p);
  } catch (const ember::TypeError& e) {
    PyErr_SetString(PyExc_TypeError, e.what());
  } catch (const ember::ValueError& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const ember::IndexError& e) {
    PyErr_SetString(PyExc_IndexError, e.what());
  } catch (const ember::NotImplementedError& e) {
    PyErr_SetString(PyExc_NotImplementedError, e.what());
  } catch (const ember::Error& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
}

namespace {
std::vector<std::pair<int, BindFn>>& registry() {
  static std::vector<std::pair<int, BindFn>> r;
  return r;
}
}  // namespace

BindingRegistrar::BindingRegistrar(int order, BindFn fn) { registry().emplace_back(order, fn); }

void run_bindings(nb::module_& m, nb::class_<Tensor>& cls) {
  auto r = registry();
  std::stable_sort(r.begin(), r.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (auto& [order, fn] : r) fn(m, cls);
}

}  // namespace ember::py

NB_MODULE(_C, m) {
  // nanobind reports objects still alive at interpreter exit as leaks; test
  // runners (pytest parametrize ids, hypothesis caches) keep tensors, dtypes
  // and functions alive until then, so the report is noise by default. Real
  // leaks are tested through the allocator's statistics. Set
  // EMBER_LEAK_WARNINGS=1 to see nanobind's report.
  const char* leak_env = std::getenv("EMBER_LEAK_WARNINGS");
  nb::set_leak_warnings(leak_env && leak_env[0] == '1');
  nb::register_exception_translator(&ember::py::translate_exception);
  // Operators are type slots (Note [Operator slots]); result tensors come
  // from an instance pool, so a tiny op allocates no Python object.
  nb::class_<ember::Tensor> cls(m, "Tensor", nb::is_weak_referenceable(), nb::pooled(),
                                nb::type_slots(ember::py::tensor_operator_slots));
  ember::py::set_tensor_type(cls);
  ember::py::run_bindings(m, cls);
}
