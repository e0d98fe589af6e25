// The Python DLPack protocol over ember::to_dlpack / from_dlpack:
// Tensor.__dlpack__, Tensor.__dlpack_device__, ember.from_dlpack and
// ember._C._to_dlpack (the legacy capsule API of ember.utils.dlpack).
//
// Note [DLPack capsules]
// A producer wraps its DLManagedTensor(Versioned) in a PyCapsule named
// "dltensor" ("dltensor_versioned" for DLPack 1.0). A consumer that takes the
// tensor renames the capsule "used_dltensor"(_versioned); the capsule's
// destructor frees the tensor only while it still has the unused name, so a
// capsule nobody consumed does not leak and a consumed one is not freed twice.
#include <cstring>

#include "bind.h"
#include "ember/core/dlpack.h"

namespace ember::py {

namespace {

constexpr const char* kLegacyName = "dltensor";
constexpr const char* kVersionedName = "dltensor_versioned";
constexpr const char* kUsedLegacyName = "used_dltensor";
constexpr const char* kUsedVersionedName = "used_dltensor_versioned";

void capsule_destructor(PyObject* capsule) {
  // Runs during garbage collection, maybe with an exception in flight: keep it.
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  if (PyCapsule_IsValid(capsule, kLegacyName)) {
    auto* m = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(capsule, kLegacyName));
    if (m && m->deleter) m->deleter(m);
  } else if (PyCapsule_IsValid(capsule, kVersionedName)) {
    auto* m = static_cast<DLManagedTensorVersioned*>(PyCapsule_GetPointer(capsule, kVersionedName));
    if (m && m->deleter) m->deleter(m);
  }
  PyErr_Restore(type, value, traceback);
}

template <class Managed>
nb::object make_capsule(Managed* m, const char* name) {
  PyObject* cap = PyCapsule_New(m, name, &capsule_destructor);
  if (!cap) {
    m->deleter(m);
    throw nb::python_error();
  }
  return nb::steal(cap);
}

bool optional_bool(nb::handle h, const char* what) {
  EMBER_CHECK(PyBool_Check(h.ptr()), TypeError, "[__dlpack__] ", what, " must be None, True or False (got ",
              nb::cast<std::string>(nb::str(h.type().attr("__name__"))), ")");
  return h.ptr() == Py_True;
}

// Item i of a sequence as an int32; TypeError names `what` otherwise.
int32_t int32_item(nb::handle seq, Py_ssize_t i, const char* what) {
  nb::object item = nb::steal(PySequence_GetItem(seq.ptr(), i));
  if (!item.is_valid()) throw nb::python_error();
  int32_t v = 0;
  EMBER_CHECK(PyLong_Check(item.ptr()) && nb::try_cast<int32_t>(item, v), TypeError, "[__dlpack__] ", what,
              " must hold 32-bit ints (got ", nb::cast<std::string>(nb::repr(seq)), ")");
  return v;
}

DLDevice dl_device_from_python(nb::handle h) {
  EMBER_CHECK(PySequence_Check(h.ptr()) && PySequence_Size(h.ptr()) == 2, TypeError,
              "[__dlpack__] dl_device must be a (device_type, device_id) tuple");
  return DLDevice{static_cast<DLDeviceType>(int32_item(h, 0, "dl_device")), int32_item(h, 1, "dl_device")};
}

nb::object tensor_dlpack(const Tensor& self, nb::handle stream, nb::handle max_version, nb::handle dl_device,
                         nb::handle copy) {
  EMBER_CHECK(!self.requires_grad(), RuntimeError,
              "[__dlpack__] Can't export tensors that require gradient, use tensor.detach()");
  if (!stream.is_none()) {
    EMBER_CHECK(PyLong_Check(stream.ptr()), TypeError, "[__dlpack__] stream must be ``int`` or ``none``");
    // Ember has no CUDA streams yet; -1 means "do not synchronize".
    EMBER_CHECK(!self.is_cpu() || nb::cast<int64_t>(stream) == -1, ValueError,
                "[__dlpack__] stream should be None on cpu (got ", nb::cast<int64_t>(stream), ")");
  }
  bool has_copy = !copy.is_none();
  bool want_copy = has_copy && optional_bool(copy, "copy");
  Tensor t = self;
  bool copied = false;
  if (!dl_device.is_none()) {
    DLDevice want = dl_device_from_python(dl_device);
    DLDevice have = to_dlpack_device(self.device());
    if (want.device_type != have.device_type || want.device_id != have.device_id) {
      if (has_copy && !want_copy) {
        throw nb::buffer_error(detail::str_cat("[__dlpack__] can't export a tensor on ", self.device().str(),
                                               " to DLPack device (", static_cast<int>(want.device_type), ", ",
                                               want.device_id, ") without a copy (copy=False)")
                                   .c_str());
      }
      Device target;
      try {
        target = from_dlpack_device(want);
      } catch (const Error& e) {
        throw nb::buffer_error(e.what());
      }
      DLDevice got = to_dlpack_device(target);
      if (got.device_type != want.device_type || got.device_id != want.device_id) {
        // e.g. kDLCUDAHost: Ember reads it as CPU memory but cannot export as it.
        throw nb::buffer_error(detail::str_cat("[__dlpack__] can't export to DLPack device (",
                                               static_cast<int>(want.device_type), ", ", want.device_id, ")")
                                   .c_str());
      }
      t = self.to(target, /*copy=*/true);
      copied = true;
    }
  }
  if (want_copy && !copied) {
    t = self.clone();
    copied = true;
  }
  bool versioned = false;
  if (!max_version.is_none()) {
    EMBER_CHECK(PySequence_Check(max_version.ptr()) && PySequence_Size(max_version.ptr()) >= 1, TypeError,
                "[__dlpack__] max_version must be None or a (major, minor) tuple");
    versioned = int32_item(max_version, 0, "max_version") >= 1;
  }
  if (versioned) {
    return make_capsule(to_dlpack_versioned(t, copied ? kDLPackFlagBitmaskIsCopied : 0), kVersionedName);
  }
  return make_capsule(to_dlpack(t), kLegacyName);
}

// Takes the tensor out of a capsule and marks the capsule used; on error the
// capsule is left as it was, so its destructor still frees the tensor.
Tensor tensor_from_capsule(nb::handle cap) {
  const char* name = PyCapsule_GetName(cap.ptr());
  if (!name && PyErr_Occurred()) throw nb::python_error();
  if (name && std::strcmp(name, kVersionedName) == 0) {
    auto* m = static_cast<DLManagedTensorVersioned*>(PyCapsule_GetPointer(cap.ptr(), kVersionedName));
    if (!m) throw nb::python_error();
    Tensor t = from_dlpack(m);
    PyCapsule_SetName(cap.ptr(), kUsedVersionedName);
    return t;
  }
  if (name && std::strcmp(name, kLegacyName) == 0) {
    auto* m = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(cap.ptr(), kLegacyName));
    if (!m) throw nb::python_error();
    Tensor t = from_dlpack(m);
    PyCapsule_SetName(cap.ptr(), kUsedLegacyName);
    return t;
  }
  EMBER_THROW(RuntimeError,
              "[from_dlpack] from_dlpack received an invalid capsule (named '", name ? name : "NULL",
              "'). Note that DLTensor capsules can be consumed only once, so you might have already "
              "constructed a tensor from it once.");
}

Tensor from_dlpack_object(nb::handle obj, nb::handle device, nb::handle copy) {
  if (PyCapsule_CheckExact(obj.ptr())) return tensor_from_capsule(obj);
  EMBER_CHECK(nb::hasattr(obj, "__dlpack__"), TypeError,
              "[from_dlpack] expected an object with a __dlpack__ method or a DLPack capsule (got ",
              nb::cast<std::string>(nb::str(obj.type().attr("__name__"))), ")");
  nb::dict kwargs;
  if (!device.is_none()) {
    std::optional<Device> d = device_from_python(device);
    DLDevice dl = to_dlpack_device(*d);
    kwargs["dl_device"] = nb::make_tuple(static_cast<int>(dl.device_type), dl.device_id);
  }
  if (!copy.is_none()) kwargs["copy"] = copy;
  nb::object dunder = obj.attr("__dlpack__");
  nb::object cap;
  kwargs["max_version"] = nb::make_tuple(kDLPackMajorVersion, kDLPackMinorVersion);
  try {
    cap = dunder(**kwargs);
  } catch (nb::python_error& e) {
    // Producers older than DLPack 1.0 do not know max_version.
    if (!e.matches(PyExc_TypeError)) throw;
    PyDict_DelItemString(kwargs.ptr(), "max_version");
    cap = dunder(**kwargs);
  }
  EMBER_CHECK(PyCapsule_CheckExact(cap.ptr()), TypeError, "[from_dlpack] __dlpack__ returned ",
              nb::cast<std::string>(nb::str(cap.type().attr("__name__"))), ", not a PyCapsule");
  return tensor_from_capsule(cap);
}

}  // namespace

static void bind_dlpack(nb::module_& m, nb::class_<Tensor>& cls) {
  cls.def("__dlpack__", &tensor_dlpack, nb::arg("stream") = nb::none(), nb::arg("max_version") = nb::none(),
          nb::arg("dl_device") = nb::none(), nb::arg("copy") = nb::none());
  cls.def("__dlpack_device__", [](const Tensor& t) {
    DLDevice d = to_dlpack_device(t.device());
    return nb::make_tuple(static_cast<int>(d.device_type), d.device_id);
  });
  m.def("from_dlpack", &from_dlpack_object, nb::arg("ext_tensor"), nb::kw_only(), nb::arg("device") = nb::none(),
        nb::arg("copy") = nb::none());
  // Like torch.utils.dlpack.to_dlpack, this legacy form does not check
  // requires_grad.
  m.def("_to_dlpack", [](const Tensor& t) { return make_capsule(to_dlpack(t), kLegacyName); },
        nb::arg("tensor"));
}

static BindingRegistrar reg(31, &bind_dlpack);

}  // namespace ember::py
