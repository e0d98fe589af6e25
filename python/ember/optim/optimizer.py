"""ember.optim.Optimizer: the base class, with PyTorch's param_groups (a
list of dicts), per-parameter ``state`` (a dict keyed by parameter),
``zero_grad``, ``add_param_group`` and ``state_dict``/``load_state_dict`` in
PyTorch's format. Subclasses' ``step`` read each group's options and call a
fused C++ kernel (``ember._C._optim``) once per parameter: no update
arithmetic happens in Python."""
import copy
import warnings
from collections import defaultdict
from itertools import chain

import ember
from ember._C import Tensor
from ember._C import _optim as _kernels

__all__ = ["Optimizer", "required"]


class _RequiredParameter:
    """Singleton class representing a required parameter for an Optimizer."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


def _typename(obj):
    if isinstance(obj, Tensor):
        return "ember.Tensor"
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module == "builtins" else f"{module}.{name}"


def _call_closure(closure):
    """Runs the closure with gradients enabled, as PyTorch does (once the
    autograd layer provides ember.enable_grad)."""
    enable_grad = getattr(ember, "enable_grad", None)
    if enable_grad is None:
        return closure()
    with enable_grad():
        return closure()


def _check(cond, message):
    if not cond:
        raise ValueError(message)


def _check_common(lr=None, eps=None, betas=None, weight_decay=None):
    """PyTorch's argument checks and messages, shared by the optimizers."""
    if lr is not None:
        _check(0.0 <= lr, f"Invalid learning rate: {lr}")
    if eps is not None:
        _check(0.0 <= eps, f"Invalid epsilon value: {eps}")
    if betas is not None:
        _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
        _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
    if weight_decay is not None:
        _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")


def _check_impl_flags(name, capturable=False, differentiable=False):
    """foreach/fused are speed hints (every update here is one fused C++
    pass); capturable (CUDA graphs) and differentiable (autograd through the
    step) are not implemented."""
    if capturable:
        raise NotImplementedError(f"[{name}] capturable=True is not supported")
    if differentiable:
        raise NotImplementedError(f"[{name}] differentiable=True is not supported")


def _new_step():
    # PyTorch keeps the step count as a float32 0-d tensor.
    return ember.tensor(0.0)


def _increment_step(state):
    """Adds one to state["step"] and returns the new count as an int."""
    step = state["step"]
    if not isinstance(step, Tensor):
        step = state["step"] = ember.tensor(float(step))
    return _kernels.increment_step(step)


def _zeros_like(p):
    return ember.zeros(tuple(p.shape), dtype=p.dtype)


class Optimizer:
    """Base class for all optimizers (torch.optim.Optimizer)."""

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, "
                f"but got {_typename(params)}")
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __repr__(self):
        s = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            s += "\n"
            s += f"Parameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    s += f"    {key}: {group[key]}\n"
        s += ")"
        return s

    def add_param_group(self, param_group):
        """Adds a group (a dict with "params" and optional options); missing
        options take the optimizer's defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {_typename(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering "
                "of tensors in sets will change between runs. Please use a list instead.")
        else:
            param_group["params"] = list(params)
        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(param))
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required optimization "
                                 f"parameter {name}")
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len({id(p) for p in params}):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this "
                "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                stacklevel=3)
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Sets every parameter's gradient to None (or to zeros)."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        p.grad.zero_()

    def step(self, closure=None):
        raise NotImplementedError

    def _params_with_grad(self, group):
        return [p for p in group["params"] if p.grad is not None]

    # ---- state_dict in PyTorch's format: parameters become their indices.
    def state_dict(self):
        param_mappings = {}
        start_index = 0

        def pack_group(group):
            nonlocal start_index
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start_index):
                param_mappings.setdefault(id(p), i)
            packed["params"] = [param_mappings[id(p)] for p in group["params"]]
            start_index += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        packed_state = {(param_mappings[id(k)] if isinstance(k, Tensor) else k): v
                        for k, v in self.state.items()}
        return {"state": packed_state, "param_groups": param_groups}

    @staticmethod
    def _cast_state(param, value, key=None):
        """Copies loaded state onto the parameter's dtype (all but "step"),
        so a loaded optimizer never shares buffers with the state dict."""
        if isinstance(value, Tensor):
            if key != "step" and param.is_floating_point() and value.is_floating_point():
                value = value.to(param.dtype)
            return value.contiguous().clone()
        if isinstance(value, dict):
            return {k: Optimizer._cast_state(param, v, key=k) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(Optimizer._cast_state(param, v, key=key) for v in value)
        return value

    def load_state_dict(self, state_dict):
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the "
                             "size of optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))
        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = self._cast_state(param, v)
            else:
                state[k] = v
        param_groups = []
        for group, new_group in zip(groups, saved_groups):
            new_group["params"] = group["params"]
            param_groups.append(new_group)
        self.__setstate__({"state": state, "param_groups": param_groups})
