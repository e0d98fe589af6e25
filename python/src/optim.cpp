// ember._C._optim: the fused optimizer kernels and the LBFGS step, called
// once per parameter by the Python optimizers in python/ember/optim/.
// Optional state buffers are None where an option does not use them.
#include <nanobind/stl/pair.h>

#include "bind.h"
#include "ember/optim/lbfgs.h"
#include "ember/optim/update_kernels.h"

namespace ember::py {

namespace {

Tensor or_undefined(const std::optional<Tensor>& t) { return t ? *t : Tensor(); }
std::optional<Tensor> or_none(const Tensor& t) {
  return t.defined() ? std::optional<Tensor>(t) : std::nullopt;
}

void bind_update_kernels(nb::module_& o) {
  using namespace optim::detail;
  auto nogil = nb::call_guard<nb::gil_scoped_release>();
  o.def("sgd_update", [](const Tensor& p, const Tensor& g, std::optional<Tensor> buf, bool first_step,
                         double lr, double momentum, double dampening, double weight_decay, bool nesterov,
                         bool maximize) {
    sgd_update(p, g, or_undefined(buf), first_step, lr, momentum, dampening, weight_decay, nesterov, maximize);
  }, nb::arg("param"), nb::arg("grad"), nb::arg("momentum_buffer").none(), nb::arg("first_step"),
     nb::arg("lr"), nb::arg("momentum"), nb::arg("dampening"), nb::arg("weight_decay"), nb::arg("nesterov"),
     nb::arg("maximize"), nogil);
  o.def("adam_update", [](const Tensor& p, const Tensor& g, const Tensor& m, const Tensor& v,
                          std::optional<Tensor> vmax, int64_t step, double lr, double beta1, double beta2,
                          double eps, double weight_decay, bool amsgrad, bool maximize, bool decoupled) {
    adam_update(p, g, m, v, or_undefined(vmax), step, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize,
                decoupled);
  }, nb::arg("param"), nb::arg("grad"), nb::arg("exp_avg"), nb::arg("exp_avg_sq"),
     nb::arg("max_exp_avg_sq").none(), nb::arg("step"), nb::arg("lr"), nb::arg("beta1"), nb::arg("beta2"),
     nb::arg("eps"), nb::arg("weight_decay"), nb::arg("amsgrad"), nb::arg("maximize"), nb::arg("decoupled"),
     nogil);
  o.def("adamax_update", &adamax_update, nb::arg("param"), nb::arg("grad"), nb::arg("exp_avg"),
        nb::arg("exp_inf"), nb::arg("step"), nb::arg("lr"), nb::arg("beta1"), nb::arg("beta2"), nb::arg("eps"),
        nb::arg("weight_decay"), nb::arg("maximize"), nogil);
  o.def("nadam_update", &nadam_update, nb::arg("param"), nb::arg("grad"), nb::arg("exp_avg"),
        nb::arg("exp_avg_sq"), nb::arg("step"), nb::arg("mu_product"), nb::arg("lr"), nb::arg("beta1"),
        nb::arg("beta2"), nb::arg("eps"), nb::arg("weight_decay"), nb::arg("momentum_decay"),
        nb::arg("decoupled_weight_decay"), nb::arg("maximize"), nogil);
  o.def("radam_update", &radam_update, nb::arg("param"), nb::arg("grad"), nb::arg("exp_avg"),
        nb::arg("exp_avg_sq"), nb::arg("step"), nb::arg("lr"), nb::arg("beta1"), nb::arg("beta2"),
        nb::arg("eps"), nb::arg("weight_decay"), nb::arg("decoupled_weight_decay"), nb::arg("maximize"), nogil);
  o.def("rmsprop_update", [](const Tensor& p, const Tensor& g, const Tensor& square_avg,
                             std::optional<Tensor> grad_avg, std::optional<Tensor> buf, double lr, double alpha,
                             double eps, double weight_decay, double momentum, bool centered, bool maximize) {
    rmsprop_update(p, g, square_avg, or_undefined(grad_avg), or_undefined(buf), lr, alpha, eps, weight_decay,
                   momentum, centered, maximize);
  }, nb::arg("param"), nb::arg("grad"), nb::arg("square_avg"), nb::arg("grad_avg").none(),
     nb::arg("momentum_buffer").none(), nb::arg("lr"), nb::arg("alpha"), nb::arg("eps"), nb::arg("weight_decay"),
     nb::arg("momentum"), nb::arg("centered"), nb::arg("maximize"), nogil);
  o.def("adagrad_update", &adagrad_update, nb::arg("param"), nb::arg("grad"), nb::arg("state_sum"),
        nb::arg("step"), nb::arg("lr"), nb::arg("lr_decay"), nb::arg("weight_decay"), nb::arg("eps"),
        nb::arg("maximize"), nogil);
  o.def("adadelta_update", &adadelta_update, nb::arg("param"), nb::arg("grad"), nb::arg("square_avg"),
        nb::arg("acc_delta"), nb::arg("lr"), nb::arg("rho"), nb::arg("eps"), nb::arg("weight_decay"),
        nb::arg("maximize"), nogil);
}

void bind_lbfgs(nb::module_& o) {
  using optim::LBFGSParamState;
  nb::class_<LBFGSParamState>(o, "LBFGSState")
      .def(nb::init<>())
      .def_rw("func_evals", &LBFGSParamState::func_evals)
      .def_rw("n_iter", &LBFGSParamState::n_iter)
      .def_prop_rw("d", [](const LBFGSParamState& s) { return or_none(s.d); },
                   [](LBFGSParamState& s, std::optional<Tensor> v) { s.d = or_undefined(v); }, nb::arg("d").none())
      .def_rw("t", &LBFGSParamState::t)
      .def_rw("old_dirs", &LBFGSParamState::old_dirs)
      .def_rw("old_stps", &LBFGSParamState::old_stps)
      .def_rw("ro", &LBFGSParamState::ro)
      .def_rw("H_diag", &LBFGSParamState::H_diag)
      .def_prop_rw("prev_flat_grad", [](const LBFGSParamState& s) { return or_none(s.prev_flat_grad); },
                   [](LBFGSParamState& s, std::optional<Tensor> v) { s.prev_flat_grad = or_undefined(v); },
                   nb::arg("v").none())
      .def_rw("prev_loss", &LBFGSParamState::prev_loss, nb::arg("prev_loss").none());

  // closure() re-evaluates the model and returns the loss as a float.
  o.def("lbfgs_step", [](const std::vector<Tensor>& params, LBFGSParamState& state, nb::callable closure,
                         double lr, int64_t max_iter, std::optional<int64_t> max_eval, double tolerance_grad,
                         double tolerance_change, int64_t history_size, std::optional<std::string> line_search_fn) {
    optim::LBFGSOptions options(lr);
    options.max_iter(max_iter).max_eval(max_eval).tolerance_grad(tolerance_grad)
        .tolerance_change(tolerance_change).history_size(history_size).line_search_fn(line_search_fn);
    auto evaluate = [&closure]() { return nb::cast<double>(closure()); };
    return optim::detail::lbfgs_step(params, state, evaluate, options);
  }, nb::arg("params"), nb::arg("state"), nb::arg("closure"), nb::arg("lr"), nb::arg("max_iter"),
     nb::arg("max_eval").none(), nb::arg("tolerance_grad"), nb::arg("tolerance_change"), nb::arg("history_size"),
     nb::arg("line_search_fn").none());
}

void bind_optim(nb::module_& m, nb::class_<Tensor>&) {
  nb::module_ o = m.def_submodule("_optim", "Fused optimizer updates (ember.optim's arithmetic).");
  // state["step"] is a one-element tensor, as in PyTorch; counting it up
  // here costs one call instead of an add op and an item().
  o.def("increment_step", [](Tensor& step) {
    EMBER_CHECK(step.numel() == 1, ValueError, "[optim] state['step'] must have one element, got ", step.numel());
    const double next = step.item().to_double() + 1;
    step.fill_(Scalar(next));
    return static_cast<int64_t>(next);
  }, nb::arg("step"));
  bind_update_kernels(o);
  bind_lbfgs(o);
}

}  // namespace

static BindingRegistrar reg(70, &bind_optim);

}  // namespace ember::py
