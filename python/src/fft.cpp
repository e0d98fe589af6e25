// ember.fft: the _C.fft submodule (python/ember/fft.py re-exports it).
#include <nanobind/stl/pair.h>

#include "bind.h"
#include "ember/ops/fft.h"

namespace ember::py {

namespace {

// None -> nullopt; an int -> one dim; a sequence -> dims.
std::optional<DimVector> opt_dims(nb::handle h, const char* op) {
  if (h.is_none()) return std::nullopt;
  if (PyLong_Check(h.ptr())) return DimVector{nb::cast<int64_t>(h)};
  return sizes_from_sequence(h, op);
}

fft::Norm as_norm(const std::optional<std::string>& norm) {
  return norm ? fft::Norm(std::string_view(*norm)) : fft::Norm();
}

using OneDimFn = Tensor (*)(const Tensor&, std::optional<int64_t>, int64_t, fft::Norm);
using NDimFn = Tensor (*)(const Tensor&, const fft::OptDims&, const fft::OptDims&, fft::Norm);
using TwoDimFn = Tensor (*)(const Tensor&, const fft::OptDims&, const DimVector&, fft::Norm);

void def_one_dim(nb::module_& m, const char* name, OneDimFn f) {
  m.def(name, [f, name](const Tensor& x, std::optional<int64_t> n, int64_t dim, std::optional<std::string> norm,
                        nb::handle out) { return write_out(name, f(x, n, dim, as_norm(norm)), out); },
        nb::arg("input"), nb::arg("n") = nb::none(), nb::arg("dim") = -1, nb::arg("norm") = nb::none(),
        nb::kw_only(), nb::arg("out") = nb::none());
}

void def_n_dim(nb::module_& m, const char* name, NDimFn f) {
  m.def(name, [f, name](const Tensor& x, nb::handle s, nb::handle dim, std::optional<std::string> norm,
                        nb::handle out) {
    return write_out(name, f(x, opt_dims(s, name), opt_dims(dim, name), as_norm(norm)), out);
  }, nb::arg("input"), nb::arg("s") = nb::none(), nb::arg("dim") = nb::none(), nb::arg("norm") = nb::none(),
     nb::kw_only(), nb::arg("out") = nb::none());
}

void def_two_dim(nb::module_& m, const char* name, TwoDimFn f) {
  m.def(name, [f, name](const Tensor& x, nb::handle s, nb::handle dim, std::optional<std::string> norm,
                        nb::handle out) {
    auto dims = opt_dims(dim, name);
    return write_out(name, f(x, opt_dims(s, name), dims.value_or(DimVector{-2, -1}), as_norm(norm)), out);
  }, nb::arg("input"), nb::arg("s") = nb::none(), nb::arg("dim") = nb::tuple(nb::make_tuple(-2, -1)),
     nb::arg("norm") = nb::none(), nb::kw_only(), nb::arg("out") = nb::none());
}

using FreqFn = Tensor (*)(int64_t, double, const TensorOptions&);

void def_freq(nb::module_& m, const char* name, FreqFn f) {
  m.def(name, [f, name](int64_t n, double d, std::optional<DType> dtype, nb::handle, nb::handle device,
                        bool requires_grad, nb::handle out) {
    TensorOptions o;
    o.dtype_ = dtype;
    if (auto dev = device_from_python(device)) o.device_ = *dev;
    o.requires_grad_ = requires_grad;
    return write_out(name, f(n, d, o), out);
  }, nb::arg("n"), nb::arg("d") = 1.0, nb::kw_only(), nb::arg("dtype") = nb::none(),
     nb::arg("layout") = nb::none(), nb::arg("device") = nb::none(), nb::arg("requires_grad") = false,
     nb::arg("out") = nb::none());
}

}  // namespace

static void bind_fft(nb::module_& m, nb::class_<Tensor>&) {
  nb::module_ f = m.def_submodule("fft", "Discrete Fourier transforms (torch.fft).");
  def_one_dim(f, "fft", &fft::fft);
  def_one_dim(f, "ifft", &fft::ifft);
  def_one_dim(f, "rfft", &fft::rfft);
  def_one_dim(f, "irfft", &fft::irfft);
  def_one_dim(f, "hfft", &fft::hfft);
  def_one_dim(f, "ihfft", &fft::ihfft);
  def_n_dim(f, "fftn", &fft::fftn);
  def_n_dim(f, "ifftn", &fft::ifftn);
  def_n_dim(f, "rfftn", &fft::rfftn);
  def_n_dim(f, "irfftn", &fft::irfftn);
  def_n_dim(f, "hfftn", &fft::hfftn);
  def_n_dim(f, "ihfftn", &fft::ihfftn);
  def_two_dim(f, "fft2", &fft::fft2);
  def_two_dim(f, "ifft2", &fft::ifft2);
  def_two_dim(f, "rfft2", &fft::rfft2);
  def_two_dim(f, "irfft2", &fft::irfft2);
  def_two_dim(f, "hfft2", &fft::hfft2);
  def_two_dim(f, "ihfft2", &fft::ihfft2);
  def_freq(f, "fftfreq", &fft::fftfreq);
  def_freq(f, "rfftfreq", &fft::rfftfreq);
  f.def("fftshift", [](const Tensor& x, nb::handle dim) { return fft::fftshift(x, opt_dims(dim, "fft_fftshift")); },
        nb::arg("input"), nb::arg("dim") = nb::none());
  f.def("ifftshift", [](const Tensor& x, nb::handle dim) {
    return fft::ifftshift(x, opt_dims(dim, "fft_ifftshift"));
  }, nb::arg("input"), nb::arg("dim") = nb::none());

  // Private: how the engine transforms length n (for tests).
  m.def("_fft_plan_info", [](int64_t n) {
    fft::PlanInfo info = fft::plan_info(n);
    nb::dict d;
    d["radices"] = nb::cast(std::vector<int64_t>(info.radices.begin(), info.radices.end()));
    d["bluestein"] = info.bluestein;
    d["inner_n"] = info.inner_n;
    return d;
  }, nb::arg("n"));
}

static BindingRegistrar reg(60, &bind_fft);

}  // namespace ember::py
