// Random numbers: ember.Generator, the default generator's seed functions,
// the random factories (rand, randn, randint, randperm, normal, bernoulli,
// multinomial, *_like) and the in-place Tensor methods (uniform_, normal_,
// bernoulli_, random_, exponential_). Signatures follow PyTorch's: sizes as
// varargs or one sequence, keyword-only generator=, dtype=, device=,
// requires_grad=.
#include "bind.h"

namespace ember::py {

namespace {

void check_no_out(nb::handle out, const char* op) {
  EMBER_CHECK(out.is_none(), NotImplementedError, "[", op, "] out= is not supported for random functions yet");
}

// int(seed) as a uint64: negative seeds wrap modulo 2^64, as PyTorch's do;
// anything outside [-2^63, 2^64) is an error.
uint64_t seed_from_python(nb::handle h, const char* op) {
  nb::object i = nb::steal(PyNumber_Long(h.ptr()));
  if (!i.is_valid()) throw nb::python_error();
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
  if (!overflow) return static_cast<uint64_t>(v);
  unsigned long long u = PyLong_AsUnsignedLongLong(i.ptr());
  if (PyErr_Occurred()) {
    PyErr_Clear();
    EMBER_THROW(RuntimeError, "[", op, "] Overflow when unpacking long: the seed must lie in [-2**63, 2**64)");
  }
  return u;
}

// Keyword-only arguments shared by the random factories.
#define EMBER_RANDOM_FACTORY_KWARGS                                                             \
  nb::kw_only(), nb::arg("generator").none() = nb::none(), nb::arg("out") = nb::none(),         \
      nb::arg("dtype") = nb::none(), nb::arg("layout") = nb::none(), nb::arg("device") = nb::none(), \
      nb::arg("pin_memory") = false, nb::arg("requires_grad") = false

#define EMBER_RANDOM_LIKE_KWARGS                                                                   \
  nb::kw_only(), nb::arg("dtype") = nb::none(), nb::arg("layout") = nb::none(),                    \
      nb::arg("device") = nb::none(), nb::arg("requires_grad") = false,                            \
      nb::arg("memory_format") = nb::none(), nb::arg("generator").none() = nb::none()

using SizedRandom = Tensor (*)(const DimVector&, const TensorOptions&, Generator*);

template <SizedRandom make>
Tensor sized_random(const char* op, const DimVector& sizes, Generator* gen, nb::handle out,
                    std::optional<DType> dtype, nb::handle device, bool requires_grad) {
  check_no_out(out, op);
  return make(sizes, make_options(dtype, device, requires_grad), gen);
}

void bind_generator(nb::module_& m) {
  nb::class_<Generator>(m, "Generator")
      .def("__init__", [](Generator* self, nb::handle device) {
        std::optional<Device> d = device_from_python(device);
        EMBER_CHECK(!d || d->is_cpu(), NotImplementedError,
                    "[Generator] only CPU generators are available, got device '", d ? d->str() : std::string(), "'");
        new (self) Generator(kDefaultRngSeed);
      }, nb::arg("device") = "cpu")
      .def("manual_seed", [](Generator& g, nb::handle seed) -> Generator& {
        g.manual_seed(seed_from_python(seed, "manual_seed"));
        return g;
      }, nb::arg("seed"), nb::rv_policy::reference)
      .def("seed", &Generator::seed)
      .def("initial_seed", &Generator::initial_seed)
      .def("get_state", &Generator::get_state)
      .def("set_state", [](Generator& g, const Tensor& state) -> Generator& {
        g.set_state(state);
        return g;
      }, nb::arg("new_state"), nb::rv_policy::reference)
      .def_prop_ro("device", [](const Generator&) { return Device(DeviceType::CPU); });

  // The default generator lives for the whole process; Python only borrows it.
  m.attr("default_generator") = nb::cast(&default_generator(), nb::rv_policy::reference);
  m.def("manual_seed", [](nb::handle seed) -> Generator& {
    default_generator().manual_seed(seed_from_python(seed, "manual_seed"));
    return default_generator();
  }, nb::arg("seed"), nb::rv_policy::reference);
  m.def("seed", [] { return seed(); });
  m.def("initial_seed", [] { return initial_seed(); });
  m.def("get_rng_state", [] { return default_generator().get_state(); });
  m.def("set_rng_state", [](const Tensor& state) { default_generator().set_state(state); }, nb::arg("new_state"));
}

void bind_factories(nb::module_& m) {
  m.def("rand", [](nb::args size, Generator* gen, nb::handle out, std::optional<DType> dtype, nb::handle,
                   nb::handle device, bool, bool requires_grad) {
    return sized_random<&ember::rand>("rand", sizes_from_args(size, "rand"), gen, out, dtype, device, requires_grad);
  }, nb::arg("size"), EMBER_RANDOM_FACTORY_KWARGS);
  m.def("randn", [](nb::args size, Generator* gen, nb::handle out, std::optional<DType> dtype, nb::handle,
                    nb::handle device, bool, bool requires_grad) {
    return sized_random<&ember::randn>("randn", sizes_from_args(size, "randn"), gen, out, dtype, device, requires_grad);
  }, nb::arg("size"), EMBER_RANDOM_FACTORY_KWARGS);

  // randint(high, size) and randint(low, high, size)
  m.def("randint", [](int64_t high, nb::handle size, Generator* gen, nb::handle out, std::optional<DType> dtype,
                      nb::handle, nb::handle device, bool, bool requires_grad) {
    check_no_out(out, "randint");
    return randint(0, high, sizes_from_sequence(size, "randint"), make_options(dtype, device, requires_grad), gen);
  }, nb::arg("high"), nb::arg("size"), EMBER_RANDOM_FACTORY_KWARGS);
  m.def("randint", [](int64_t low, int64_t high, nb::handle size, Generator* gen, nb::handle out,
                      std::optional<DType> dtype, nb::handle, nb::handle device, bool, bool requires_grad) {
    check_no_out(out, "randint");
    return randint(low, high, sizes_from_sequence(size, "randint"), make_options(dtype, device, requires_grad), gen);
  }, nb::arg("low"), nb::arg("high"), nb::arg("size"), EMBER_RANDOM_FACTORY_KWARGS);

  m.def("randperm", [](int64_t n, Generator* gen, nb::handle out, std::optional<DType> dtype, nb::handle,
                       nb::handle device, bool, bool requires_grad) {
    check_no_out(out, "randperm");
    return randperm(n, make_options(dtype, device, requires_grad), gen);
  }, nb::arg("n"), EMBER_RANDOM_FACTORY_KWARGS);

  m.def("rand_like", [](const Tensor& t, std::optional<DType> dtype, nb::handle, nb::handle device,
                        bool requires_grad, nb::handle, Generator* gen) {
    return rand_like(t, like_options(t, dtype, device_from_python(device), requires_grad), gen);
  }, nb::arg("input"), EMBER_RANDOM_LIKE_KWARGS);
  m.def("randn_like", [](const Tensor& t, std::optional<DType> dtype, nb::handle, nb::handle device,
                         bool requires_grad, nb::handle, Generator* gen) {
    return randn_like(t, like_options(t, dtype, device_from_python(device), requires_grad), gen);
  }, nb::arg("input"), EMBER_RANDOM_LIKE_KWARGS);
  // randint_like(input, high) and randint_like(input, low, high)
  m.def("randint_like", [](const Tensor& t, int64_t high, std::optional<DType> dtype, nb::handle, nb::handle device,
                           bool requires_grad, nb::handle, Generator* gen) {
    return randint_like(t, 0, high, like_options(t, dtype, device_from_python(device), requires_grad), gen);
  }, nb::arg("input"), nb::arg("high"), EMBER_RANDOM_LIKE_KWARGS);
  m.def("randint_like", [](const Tensor& t, int64_t low, int64_t high, std::optional<DType> dtype, nb::handle,
                           nb::handle device, bool requires_grad, nb::handle, Generator* gen) {
    return randint_like(t, low, high, like_options(t, dtype, device_from_python(device), requires_grad), gen);
  }, nb::arg("input"), nb::arg("low"), nb::arg("high"), EMBER_RANDOM_LIKE_KWARGS);
}

void bind_distributions(nb::module_& m) {
  // normal(Tensor, Tensor), normal(Tensor, float), normal(float, Tensor),
  // normal(float, float, size): tensor forms first so that a Tensor never
  // reaches a float parameter.
  m.def("normal", [](const Tensor& mean, const Tensor& sd, Generator* gen, nb::handle out) {
    check_no_out(out, "normal");
    return normal(mean, sd, gen);
  }, nb::arg("mean"), nb::arg("std"), nb::kw_only(), nb::arg("generator").none() = nb::none(),
     nb::arg("out") = nb::none());
  m.def("normal", [](const Tensor& mean, double sd, Generator* gen, nb::handle out) {
    check_no_out(out, "normal");
    return normal(mean, sd, gen);
  }, nb::arg("mean"), nb::arg("std") = 1.0, nb::kw_only(), nb::arg("generator").none() = nb::none(),
     nb::arg("out") = nb::none());
  m.def("normal", [](double mean, const Tensor& sd, Generator* gen, nb::handle out) {
    check_no_out(out, "normal");
    return normal(mean, sd, gen);
  }, nb::arg("mean"), nb::arg("std"), nb::kw_only(), nb::arg("generator").none() = nb::none(),
     nb::arg("out") = nb::none());
  m.def("normal", [](double mean, double sd, nb::handle size, Generator* gen, nb::handle out,
                     std::optional<DType> dtype, nb::handle, nb::handle device, bool, bool requires_grad) {
    check_no_out(out, "normal");
    return normal(mean, sd, sizes_from_sequence(size, "normal"), make_options(dtype, device, requires_grad), gen);
  }, nb::arg("mean"), nb::arg("std"), nb::arg("size"), EMBER_RANDOM_FACTORY_KWARGS);

  m.def("bernoulli", [](const Tensor& input, std::optional<double> p, Generator* gen, nb::handle out) {
    check_no_out(out, "bernoulli");
    return p ? bernoulli(input, *p, gen) : bernoulli(input, gen);
  }, nb::arg("input"), nb::arg("p") = nb::none(), nb::kw_only(), nb::arg("generator").none() = nb::none(),
     nb::arg("out") = nb::none());

  m.def("multinomial", [](const Tensor& input, int64_t num_samples, bool replacement, Generator* gen,
                          nb::handle out) {
    check_no_out(out, "multinomial");
    return multinomial(input, num_samples, replacement, gen);
  }, nb::arg("input"), nb::arg("num_samples"), nb::arg("replacement") = false, nb::kw_only(),
     nb::arg("generator").none() = nb::none(), nb::arg("out") = nb::none());
}

// The in-place methods return the very object they were called on, so that
// `x.uniform_() is x` holds as in PyTorch.
void bind_tensor_methods(nb::class_<Tensor>& cls) {
  cls.def("uniform_", [](nb::handle self, double from, double to, Generator* gen) {
       uniform_(nb::cast<Tensor&>(self), from, to, gen);
       return nb::borrow(self);
     }, nb::arg("from") = 0.0, nb::arg("to") = 1.0, nb::kw_only(), nb::arg("generator").none() = nb::none())
      .def("normal_", [](nb::handle self, double mean, double sd, Generator* gen) {
        normal_(nb::cast<Tensor&>(self), mean, sd, gen);
        return nb::borrow(self);
      }, nb::arg("mean") = 0.0, nb::arg("std") = 1.0, nb::kw_only(), nb::arg("generator").none() = nb::none())
      .def("bernoulli_", [](nb::handle self, const Tensor& p, Generator* gen) {
        bernoulli_(nb::cast<Tensor&>(self), p, gen);
        return nb::borrow(self);
      }, nb::arg("p"), nb::kw_only(), nb::arg("generator").none() = nb::none())
      .def("bernoulli_", [](nb::handle self, double p, Generator* gen) {
        bernoulli_(nb::cast<Tensor&>(self), p, gen);
        return nb::borrow(self);
      }, nb::arg("p") = 0.5, nb::kw_only(), nb::arg("generator").none() = nb::none())
      .def("bernoulli", [](const Tensor& t, std::optional<double> p, Generator* gen) {
        return p ? bernoulli(t, *p, gen) : bernoulli(t, gen);
      }, nb::arg("p") = nb::none(), nb::kw_only(), nb::arg("generator").none() = nb::none())
      // random_(), random_(to), random_(from, to) with to=None meaning the dtype's maximum
      .def("random_", [](nb::handle self, Generator* gen) {
        random_(nb::cast<Tensor&>(self), gen);
        return nb::borrow(self);
      }, nb::kw_only(), nb::arg("generator").none() = nb::none())
      .def("random_", [](nb::handle self, int64_t to, Generator* gen) {
        random_(nb::cast<Tensor&>(self), to, gen);
        return nb::borrow(self);
      }, nb::arg("to"), nb::kw_only(), nb::arg("generator").none() = nb::none())
      .def("random_", [](nb::handle self, int64_t from, std::optional<int64_t> to, Generator* gen) {
        random_(nb::cast<Tensor&>(self), from, to, gen);
        return nb::borrow(self);
      }, nb::arg("from"), nb::arg("to").none(), nb::kw_only(), nb::arg("generator").none() = nb::none())
      .def("exponential_", [](nb::handle self, double lambd, Generator* gen) {
        exponential_(nb::cast<Tensor&>(self), lambd, gen);
        return nb::borrow(self);
      }, nb::arg("lambd") = 1.0, nb::kw_only(), nb::arg("generator").none() = nb::none())
      .def("multinomial", [](const Tensor& t, int64_t num_samples, bool replacement, Generator* gen) {
        return multinomial(t, num_samples, replacement, gen);
      }, nb::arg("num_samples"), nb::arg("replacement") = false, nb::kw_only(),
         nb::arg("generator").none() = nb::none());
}

}  // namespace

static void bind_random(nb::module_& m, nb::class_<Tensor>& cls) {
  bind_generator(m);
  bind_factories(m);
  bind_distributions(m);
  bind_tensor_methods(cls);
}

static BindingRegistrar reg(30, &bind_random);

}  // namespace ember::py
