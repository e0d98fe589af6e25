// ember.save / ember.load over the C++ serializer (ember/serialize): Python
// objects <-> ember::Value, and Python file objects as C++ streams (their
// read/write/seek/tell methods). Paths go to the C++ functions directly.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <istream>
#include <ostream>
#include <streambuf>

#include "bind.h"
#include "ember/serialize/serialize.h"

namespace ember::py {

namespace {

std::string type_name_of(nb::handle h) { return nb::cast<std::string>(nb::str(h.type().attr("__name__"))); }

// A str as UTF-8; strings that cannot be encoded (lone surrogates) raise
// Python's UnicodeEncodeError.
std::string utf8_of(nb::handle str) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(str.ptr(), &size);
  if (!data) throw nb::python_error();
  return std::string(data, static_cast<size_t>(size));
}

// ---- Python objects -> Value

Value to_value(nb::handle h, int depth) {
  EMBER_CHECK(depth <= kMaxValueDepth, ValueError, "[save] the object is nested deeper than ", kMaxValueDepth,
              " levels (or contains itself)");
  if (h.is_none()) return Value();
  if (nb::isinstance<Tensor>(h)) return Value(nb::cast<Tensor>(h));
  if (PyBool_Check(h.ptr())) return Value(h.ptr() == Py_True);
  if (PyLong_Check(h.ptr())) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(h.ptr(), &overflow);
    if (v == -1 && PyErr_Occurred()) throw nb::python_error();
    EMBER_CHECK(!overflow, ValueError, "[save] the int ", nb::cast<std::string>(nb::repr(h)),
                " does not fit in 64 bits");
    return Value(static_cast<int64_t>(v));
  }
  if (PyFloat_Check(h.ptr())) return Value(PyFloat_AsDouble(h.ptr()));
  if (PyUnicode_Check(h.ptr())) return Value(utf8_of(h));
  if (PyList_Check(h.ptr()) || PyTuple_Check(h.ptr())) {
    Value::Items items;
    for (nb::handle item : h) items.push_back(to_value(item, depth + 1));
    return PyList_Check(h.ptr()) ? Value::list(std::move(items)) : Value::tuple(std::move(items));
  }
  if (PyDict_Check(h.ptr())) {
    Value out = Value::dict();
    for (auto [key, value] : nb::borrow<nb::dict>(h)) {
      DictKey k;
      if (PyUnicode_Check(key.ptr())) {
        k = utf8_of(key);
      } else if (PyLong_Check(key.ptr()) && !PyBool_Check(key.ptr())) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(key.ptr(), &overflow);
        EMBER_CHECK(!overflow, ValueError, "[save] the dict key ", nb::cast<std::string>(nb::repr(key)),
                    " does not fit in 64 bits");
        k = static_cast<int64_t>(v);
      } else {
        EMBER_THROW(TypeError, "[save] dict keys must be str or int, got ", type_name_of(key));
      }
      out.insert(std::move(k), to_value(value, depth + 1));
    }
    return out;
  }
  EMBER_THROW(TypeError, "[save] cannot save an object of type ", type_name_of(h),
              ": ember.save takes tensors, None, bool, int, float, str, and lists, tuples and dicts of them");
}

// ---- Value -> Python objects

nb::object to_python(const Value& v, const std::optional<Device>& device) {
  switch (v.kind()) {
    case Value::Kind::None: return nb::none();
    case Value::Kind::Bool: return nb::bool_(v.to_bool());
    case Value::Kind::Int: return nb::int_(v.to_int());
    case Value::Kind::Double: return nb::float_(v.to_double());
    case Value::Kind::String: return nb::str(v.to_string().data(), v.to_string().size());
    case Value::Kind::Tensor: {
      const Tensor& t = v.to_tensor();
      return nb::cast(device && *device != t.device() ? t.to(*device) : t);
    }
    case Value::Kind::List: {
      nb::list out;
      for (const Value& item : v.items()) out.append(to_python(item, device));
      return out;
    }
    case Value::Kind::Tuple: {
      nb::list out;
      for (const Value& item : v.items()) out.append(to_python(item, device));
      return nb::tuple(out);
    }
    case Value::Kind::Dict: {
      nb::dict out;
      for (const DictEntry& e : v.entries()) {
        nb::object key = std::holds_alternative<std::string>(e.key)
                             ? nb::object(nb::str(std::get<std::string>(e.key).c_str()))
                             : nb::object(nb::int_(std::get<int64_t>(e.key)));
        out[key] = to_python(e.value, device);
      }
      return out;
    }
  }
  return nb::none();
}

// ---- file objects as streams. Python errors raised inside are kept and
// rethrown once the C++ call returns (streams swallow exceptions).

class PyWriteBuf : public std::streambuf {
 public:
  explicit PyWriteBuf(nb::handle file) : write_(file.attr("write")) { setp(buf_, buf_ + sizeof(buf_)); }
  std::exception_ptr error;

 protected:
  int_type overflow(int_type c) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n < static_cast<std::streamsize>(sizeof(buf_))) return std::streambuf::xsputn(s, n);
    // Large blocks (tensor data) go straight to the file.
    if (!flush_buffer() || !write(s, n)) return 0;
    return n;
  }
  int sync() override { return flush_buffer() ? 0 : -1; }

 private:
  bool flush_buffer() {
    std::streamsize n = pptr() - pbase();
    if (n > 0 && !write(pbase(), n)) return false;
    setp(buf_, buf_ + sizeof(buf_));
    return true;
  }
  bool write(const char* s, std::streamsize n) {
    if (error) return false;
    try {
      // A memoryview over the bytes: no copy on the way to the file.
      nb::object view = nb::steal(PyMemoryView_FromMemory(const_cast<char*>(s), n, PyBUF_READ));
      if (!view.is_valid()) throw nb::python_error();
      write_(view);
      return true;
    } catch (...) {
      error = std::current_exception();
      return false;
    }
  }

  nb::object write_;
  char buf_[1 << 16];
};

class PyReadBuf : public std::streambuf {
 public:
  explicit PyReadBuf(nb::handle file) : file_(nb::borrow(file)) {
    try {
      seekable_ = nb::hasattr(file, "seekable") && nb::cast<bool>(file.attr("seekable")()) &&
                  nb::hasattr(file, "tell") && nb::hasattr(file, "seek");
    } catch (...) {
      seekable_ = false;
    }
  }
  std::exception_ptr error;

  // Moves the file back over bytes read ahead but not used, so the file
  // position ends right after what was loaded.
  void give_back_unread() {
    if (error || !seekable_ || gptr() == egptr()) return;
    try {
      file_.attr("seek")(-(egptr() - gptr()), 1);
    } catch (...) {
      error = std::current_exception();
    }
    setg(nullptr, nullptr, nullptr);
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (error) return traits_type::eof();
    try {
      nb::object data = file_.attr("read")(kChunk);
      if (PyBytes_Check(data.ptr())) {
        chunk_.assign(PyBytes_AS_STRING(data.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(data.ptr())));
      } else if (PyByteArray_Check(data.ptr())) {
        chunk_.assign(PyByteArray_AS_STRING(data.ptr()), static_cast<size_t>(PyByteArray_GET_SIZE(data.ptr())));
      } else if (data.is_none()) {
        chunk_.clear();  // a non-blocking file with nothing ready: treat as the end
      } else {
        EMBER_THROW(TypeError, "[load] the file object's read() returned ", type_name_of(data),
                    ", not bytes (open the file in binary mode: open(path, 'rb'))");
      }
    } catch (...) {
      error = std::current_exception();
      return traits_type::eof();
    }
    if (chunk_.empty()) return traits_type::eof();
    setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
    return traits_type::to_int_type(*gptr());
  }

  pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
    if (!seekable_ || error) return pos_type(off_type(-1));
    try {
      if (dir == std::ios_base::cur && off == 0) {
        off_type here = nb::cast<off_type>(file_.attr("tell")());
        return pos_type(here - (egptr() - gptr()));
      }
      give_back_unread();
      int whence = dir == std::ios_base::beg ? 0 : dir == std::ios_base::cur ? 1 : 2;
      return pos_type(nb::cast<off_type>(file_.attr("seek")(off, whence)));
    } catch (...) {
      error = std::current_exception();
      return pos_type(off_type(-1));
    }
  }
  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
    return seekoff(off_type(pos), std::ios_base::beg, which);
  }

 private:
  static constexpr Py_ssize_t kChunk = 1 << 20;
  nb::object file_;
  std::string chunk_;
  bool seekable_ = false;
};

// str, bytes or os.PathLike -> a path string; nullopt for file objects.
std::optional<std::string> path_of(nb::handle f) {
  if (PyUnicode_Check(f.ptr()) || PyBytes_Check(f.ptr()) || nb::hasattr(f, "__fspath__")) {
    nb::object os = nb::module_::import_("os");
    return nb::cast<std::string>(os.attr("fsdecode")(f));
  }
  return std::nullopt;
}

// Raises the OSError Python's open() raises (FileNotFoundError,
// IsADirectoryError, PermissionError ...).
void check_can_open(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0666);
  struct stat st;
  if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    fd = -1;
    errno = EISDIR;
  }
  if (fd < 0) {
    PyErr_SetFromErrnoWithFilename(PyExc_OSError, path.c_str());
    throw nb::python_error();
  }
  ::close(fd);
}

void py_save(nb::handle obj, nb::handle f) {
  Value value = to_value(obj, 0);
  if (auto path = path_of(f)) {
    check_can_open(*path, O_WRONLY | O_CREAT);
    nb::gil_scoped_release release;
    save(value, *path);
    return;
  }
  EMBER_CHECK(nb::hasattr(f, "write"), TypeError, "[save] f must be a path or a file object with write(), got ",
              type_name_of(f));
  PyWriteBuf buf(f);
  std::ostream out(&buf);
  try {
    save(value, out);
  } catch (...) {
    if (buf.error) std::rethrow_exception(buf.error);
    throw;
  }
  if (buf.error) std::rethrow_exception(buf.error);
  if (nb::hasattr(f, "flush")) f.attr("flush")();
}

std::optional<Device> map_location_device(nb::handle loc) {
  if (loc.is_none()) return std::nullopt;
  if (PyDict_Check(loc.ptr())) {
    // Saved tensors are always on the CPU: only a "cpu" entry applies.
    nb::dict d = nb::borrow<nb::dict>(loc);
    if (!d.contains("cpu")) return std::nullopt;
    return device_from_python(d["cpu"]);
  }
  EMBER_CHECK(!PyCallable_Check(loc.ptr()), NotImplementedError,
              "[load] map_location as a function is not supported; pass a device, a device string or a dict");
  return device_from_python(loc);
}

nb::object py_load(nb::handle f, nb::handle map_location, nb::handle weights_only, nb::handle mmap) {
  // Loading never runs code, so weights_only=False loads the same values.
  EMBER_CHECK(weights_only.is_none() || PyBool_Check(weights_only.ptr()), TypeError,
              "[load] weights_only must be None, True or False");
  EMBER_CHECK(mmap.is_none() || PyBool_Check(mmap.ptr()), TypeError, "[load] mmap must be None, True or False");
  const bool use_mmap = mmap.ptr() == Py_True;
  std::optional<Device> device = map_location_device(map_location);
  Value value;
  if (auto path = path_of(f)) {
    check_can_open(*path, O_RDONLY);
    nb::gil_scoped_release release;
    value = load(*path, LoadOptions{use_mmap});
  } else if (use_mmap) {
    int fd = -1;
    int64_t offset = 0;
    try {
      fd = nb::cast<int>(f.attr("fileno")());
      offset = nb::cast<int64_t>(f.attr("tell")());
    } catch (const nb::python_error&) {
      EMBER_THROW(ValueError, "[load] mmap=True needs a path or a file object with a fileno() (got ",
                  type_name_of(f), ")");
    }
    value = load_mmap(fd, static_cast<uint64_t>(offset));
  } else {
    EMBER_CHECK(nb::hasattr(f, "read"), TypeError, "[load] f must be a path or a file object with read(), got ",
                type_name_of(f));
    PyReadBuf buf(f);
    std::istream in(&buf);
    try {
      value = load(in);
    } catch (...) {
      if (buf.error) std::rethrow_exception(buf.error);
      throw;
    }
    buf.give_back_unread();
    if (buf.error) std::rethrow_exception(buf.error);
  }
  return to_python(value, device);
}

void bind_serialize(nb::module_& m, nb::class_<Tensor>&) {
  m.def("save", &py_save, nb::arg("obj").none(), nb::arg("f"),
        "Saves tensors, state dicts and nested dicts/lists/tuples of tensors, numbers and strings to a path or "
        "binary file object, in the safetensors format.");
  m.def("load", &py_load, nb::arg("f"), nb::arg("map_location").none() = nb::none(), nb::kw_only(),
        nb::arg("weights_only").none() = nb::none(), nb::arg("mmap").none() = nb::none(),
        "Loads what ember.save wrote (or any safetensors file) from a path or binary file object. "
        "mmap=True maps the file instead of reading it. Never executes code.");
}

}  // namespace

static BindingRegistrar reg(70, &bind_serialize);

}  // namespace ember::py
