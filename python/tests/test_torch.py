"""descent.torch against torch.optim on a small MLP: same trajectories, schedules,
parameter groups, closures and state_dicts, updates in the parameters' own
memory, and clear errors for inputs it cannot update."""

import io
import subprocess
import sys

import pytest
import torch

from descent import torch as descent_torch

STEPS = 100
TOLERANCE = {torch.float32: 1e-5, torch.float64: 1e-12}
DTYPES = [torch.float32, torch.float64]


class ReferenceLion(torch.optim.Optimizer):
    """Lion as Chen et al. 2023, Program 1, with lion-pytorch's defaults and state key:
    c = beta1*m + (1-beta1)*g; w -= lr*(sign(c) + weight_decay*w); m = beta2*m + (1-beta2)*g."""

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                exp_avg = state["exp_avg"]
                c = exp_avg * beta1 + p.grad * (1 - beta1)
                p.sub_(group["lr"] * (c.sign() + group["weight_decay"] * p))
                exp_avg.mul_(beta2).add_(p.grad, alpha=1 - beta2)


class ReferenceNAdam(torch.optim.Optimizer):
    """NAdam as Dozat 2016 and torch >= 2.0's _single_tensor_nadam, whose look-ahead
    product is mu_product * mu_next (torch 1.13 has mu_product * mu * mu_next), with
    mu_product kept in float64."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, psi = group["lr"], group["momentum_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"] = torch.tensor(0.0)
                    state["mu_product"] = torch.tensor(1.0, dtype=torch.float64)
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = state["step"].item()
                grad = p.grad.add(p, alpha=group["weight_decay"])
                mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
                mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
                state["mu_product"] *= mu
                mu_product = state["mu_product"].item()
                state["exp_avg"].mul_(beta1).add_(grad, alpha=1 - beta1)
                state["exp_avg_sq"].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = state["exp_avg_sq"].div(1 - beta2 ** t).sqrt().add_(group["eps"])
                p.addcdiv_(grad, denom, value=-lr * (1 - mu) / (1 - mu_product))
                p.addcdiv_(state["exp_avg"], denom,
                           value=-lr * mu_next / (1 - mu_product * mu_next))


REFERENCES = {"NAdam": ReferenceNAdam, "Lion": ReferenceLion}

# (id, class name, arguments): descent.torch.<name> against torch.optim.<name> or REFERENCES.
CASES = [
    ("sgd", "SGD", dict(lr=0.1)),
    ("sgd-momentum-dampening-decay", "SGD",
     dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3)),
    ("sgd-nesterov", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    ("adam", "Adam", dict(lr=1e-3)),
    ("adam-amsgrad-decay", "Adam", dict(lr=1e-3, amsgrad=True, weight_decay=1e-2)),
    ("adamw", "AdamW", dict(lr=1e-3)),
    ("rmsprop", "RMSprop", dict(lr=3e-4)),
    ("rmsprop-centered-momentum", "RMSprop",
     dict(lr=1e-4, centered=True, momentum=0.9, weight_decay=1e-3)),
    ("adagrad", "Adagrad", dict()),
    ("adagrad-lr-decay-initial", "Adagrad",
     dict(lr=0.05, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=1e-3)),
    ("adadelta", "Adadelta", dict(lr=0.5)),
    ("adamax", "Adamax", dict(weight_decay=1e-3)),
    ("nadam", "NAdam", dict(lr=1e-3, weight_decay=1e-3)),
    ("radam", "RAdam", dict(lr=1e-2)),
    ("lion", "Lion", dict(lr=1e-3)),
    ("lion-decay", "Lion", dict(lr=1e-3, betas=(0.95, 0.98), weight_decay=0.1)),
]
CASE_IDS = [case[0] for case in CASES]


def reference_class(name):
    return REFERENCES.get(name) or getattr(torch.optim, name)


def make_data(dtype):
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(64, 10, generator=generator, dtype=dtype)
    y = torch.randint(0, 3, (64,), generator=generator)
    return x, y


def make_model(dtype):
    torch.manual_seed(1)
    layers = [torch.nn.Linear(10, 32), torch.nn.Tanh(), torch.nn.Linear(32, 3)]
    return torch.nn.Sequential(*layers).to(dtype)


def loss_of(model, data):
    x, y = data
    return torch.nn.functional.cross_entropy(model(x), y)


def train(model, optimizer, data, steps, scheduler=None):
    for _ in range(steps):
        optimizer.zero_grad()
        loss_of(model, data).backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()


def relative_difference(tensors, references):
    """max over pairs of max|a - b| / max|b| (max|a - b| where b is all zeros)."""
    return max(((a - b).abs().max() / b.abs().max().clamp_min(torch.finfo(b.dtype).tiny)).item()
               for a, b in zip(tensors, references))


def assert_same_state(state, reference, tolerance):
    """The same keys, and values equal to tolerance, for every parameter's state."""
    assert state.keys() == reference.keys()
    for param, reference_values in reference.items():
        values = state[param]
        assert values.keys() == reference_values.keys()
        for key, expected in reference_values.items():
            actual = values[key]
            if isinstance(expected, torch.Tensor) and expected.dim() > 0:
                assert actual.shape == expected.shape
                assert relative_difference([actual], [expected]) <= tolerance, key
            elif expected is None:
                assert actual is None, key
            else:
                assert float(actual) == pytest.approx(float(expected), rel=tolerance), key


def train_pair(name, arguments, dtype, steps=STEPS):
    """(descent model, descent optimizer, reference model, reference optimizer) after steps."""
    data = make_data(dtype)
    model, reference = make_model(dtype), make_model(dtype)
    optimizer = getattr(descent_torch, name)(model.parameters(), **arguments)
    reference_optimizer = reference_class(name)(reference.parameters(), **arguments)
    train(model, optimizer, data, steps)
    train(reference, reference_optimizer, data, steps)
    return model, optimizer, reference, reference_optimizer


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case_id, name, arguments", CASES, ids=CASE_IDS)
def test_trains_as_torch_optim(case_id, name, arguments, dtype):
    model, optimizer, reference, reference_optimizer = train_pair(name, arguments, dtype)
    parameters = list(model.parameters())
    assert relative_difference(parameters, list(reference.parameters())) <= TOLERANCE[dtype]
    assert not torch.equal(parameters[0], make_model(dtype)[0].weight)
    ids = {id(p): i for i, p in enumerate(parameters)}
    reference_ids = {id(p): i for i, p in enumerate(reference.parameters())}
    assert_same_state({ids[id(p)]: s for p, s in optimizer.state.items()},
                      {reference_ids[id(p)]: s for p, s in reference_optimizer.state.items()},
                      TOLERANCE[dtype] * 10)


@pytest.mark.parametrize("name", [case[1] for case in CASES if case[0] == case[1].lower()])
def test_defaults_are_torch_optims(name):
    """Constructor defaults and group keys as torch.optim's (lion-pytorch's for Lion);
    SGD adds the momentum convention."""
    arguments = {"lr": 0.1} if name == "SGD" else {}
    ours = getattr(descent_torch, name)([torch.nn.Parameter(torch.zeros(2))], **arguments)
    theirs_class = getattr(torch.optim, name, None) or REFERENCES[name]
    theirs = theirs_class([torch.nn.Parameter(torch.zeros(2))], **arguments)
    expected = dict(theirs.defaults, convention="torch") if name == "SGD" else theirs.defaults
    assert ours.defaults == expected


def test_nadam_follows_the_paper_where_torch_1_13_does_not():
    """One step from the same point: descent agrees with the paper's formula, which
    torch.optim.NAdam follows from torch 2.0 on (pytorch/pytorch#92699); torch 1.13's
    first step is 0.66% shorter."""
    data = make_data(torch.float64)
    updates = {}
    for label, optimizer_class in [("descent", descent_torch.NAdam),
                                   ("paper", ReferenceNAdam), ("torch", torch.optim.NAdam)]:
        model = make_model(torch.float64)
        start = model[0].weight.detach().clone()
        train(model, optimizer_class(model.parameters(), lr=1e-2), data, 1)
        updates[label] = model[0].weight.detach() - start
    assert relative_difference([updates["descent"]], [updates["paper"]]) < 1e-12
    torch_gap = relative_difference([updates["torch"]], [updates["paper"]])
    if int(torch.__version__.split(".")[0]) >= 2:
        assert torch_gap < 1e-6
    else:
        assert torch_gap > 1e-3


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name, arguments", [("SGD", dict(momentum=0.9)), ("Adam", {})],
                         ids=["sgd-momentum", "adam"])
def test_parameter_groups_with_their_own_learning_rates(name, arguments, dtype):
    data = make_data(dtype)
    models = [make_model(dtype), make_model(dtype)]
    optimizers = [
        module_class(
            [{"params": model[0].parameters(), "lr": 0.05},
             {"params": model[2].parameters(), "lr": 0.005, "weight_decay": 1e-2}],
            lr=0.01, **arguments)
        for module_class, model in zip([getattr(descent_torch, name), getattr(torch.optim, name)],
                                       models)]
    for model, optimizer in zip(models, optimizers):
        train(model, optimizer, data, STEPS)
    assert relative_difference(list(models[0].parameters()),
                               list(models[1].parameters())) <= TOLERANCE[dtype]


SCHEDULERS = {
    "step-lr": lambda optimizer: torch.optim.lr_scheduler.StepLR(optimizer, 30, gamma=0.1),
    "cosine": lambda optimizer: torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, STEPS),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("schedule", SCHEDULERS)
@pytest.mark.parametrize("name, arguments",
                         [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=1e-2)),
                          ("Adagrad", dict(lr=0.05, lr_decay=0.01))],
                         ids=["sgd-momentum", "adam", "adagrad"])
def test_learning_rate_schedulers_drive_it(name, arguments, schedule, dtype):
    data = make_data(dtype)
    model, reference = make_model(dtype), make_model(dtype)
    optimizer = getattr(descent_torch, name)(model.parameters(), **arguments)
    reference_optimizer = getattr(torch.optim, name)(reference.parameters(), **arguments)
    scheduler = SCHEDULERS[schedule](optimizer)
    train(model, optimizer, data, STEPS, scheduler)
    train(reference, reference_optimizer, data, STEPS, SCHEDULERS[schedule](reference_optimizer))
    assert optimizer.param_groups[0]["lr"] == reference_optimizer.param_groups[0]["lr"]
    assert optimizer.param_groups[0]["lr"] < arguments["lr"] * 0.05
    assert relative_difference(list(model.parameters()),
                               list(reference.parameters())) <= TOLERANCE[dtype]


def test_notes_momentum_convention_matches_torch_while_the_rate_is_constant():
    """The notes' velocity is -lr times torch's buffer; the parameters follow the same path."""
    dtype = torch.float64
    lr = 0.05
    for nesterov in (False, True):
        data = make_data(dtype)
        model, reference = make_model(dtype), make_model(dtype)
        optimizer = descent_torch.SGD(model.parameters(), lr=lr, momentum=0.9,
                                      nesterov=nesterov, convention="notes")
        reference_optimizer = torch.optim.SGD(reference.parameters(), lr=lr, momentum=0.9,
                                              nesterov=nesterov)
        train(model, optimizer, data, STEPS)
        train(reference, reference_optimizer, data, STEPS)
        assert relative_difference(list(model.parameters()), list(reference.parameters())) < 1e-10
        for param, reference_param in zip(model.parameters(), reference.parameters()):
            assert "momentum_buffer" not in optimizer.state[param]
            velocity = optimizer.state[param]["velocity"]
            buffer = reference_optimizer.state[reference_param]["momentum_buffer"]
            assert relative_difference([velocity], [-lr * buffer]) < 1e-10


def test_notes_momentum_convention_keeps_its_speed_when_the_rate_drops():
    dtype = torch.float64
    data = make_data(dtype)
    paths = []
    for convention in ("notes", "torch"):
        model = make_model(dtype)
        optimizer = descent_torch.SGD(model.parameters(), lr=0.1, momentum=0.9,
                                      convention=convention)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 10, gamma=0.01)
        train(model, optimizer, data, 11, scheduler)
        paths.append(list(model.parameters()))
    assert relative_difference(paths[0], paths[1]) > 1e-3


@pytest.mark.parametrize("name, arguments", [("SGD", dict(lr=0.1, momentum=0.9)),
                                             ("Adam", dict(lr=1e-2))], ids=["sgd", "adam"])
def test_closure_reevaluates_and_its_loss_is_returned(name, arguments):
    dtype = torch.float64
    data = make_data(dtype)
    model, reference = make_model(dtype), make_model(dtype)
    optimizer = getattr(descent_torch, name)(model.parameters(), **arguments)
    reference_optimizer = getattr(torch.optim, name)(reference.parameters(), **arguments)
    losses = []
    for _ in range(20):
        def closure():
            optimizer.zero_grad()
            loss = loss_of(model, data)
            loss.backward()
            losses.append(loss)
            return loss
        returned = optimizer.step(closure)
        assert returned is losses[-1]
        reference_optimizer.zero_grad()
        loss_of(reference, data).backward()
        reference_optimizer.step()
    assert len(losses) == 20
    assert losses[-1].item() < losses[0].item()
    assert relative_difference(list(model.parameters()), list(reference.parameters())) < 1e-12


@pytest.mark.parametrize("case_id, name, arguments", CASES, ids=CASE_IDS)
def test_parameter_without_gradient_is_skipped(case_id, name, arguments):
    dtype = torch.float64
    data = make_data(dtype)
    model = make_model(dtype)
    unused = torch.nn.Parameter(torch.ones(4, dtype=dtype))
    optimizer = getattr(descent_torch, name)([*model.parameters(), unused], **arguments)
    reference = reference_class(name)([torch.nn.Parameter(torch.ones(4, dtype=dtype))],
                                      **arguments)
    train(model, optimizer, data, 5)
    assert unused.grad is None
    assert torch.equal(unused, torch.ones(4, dtype=dtype))
    assert all(p in optimizer.state for p in model.parameters())
    reference_state = reference.state_dict()["state"]
    if reference_state:
        assert name == "Adagrad"
        assert_same_state({0: optimizer.state[unused]}, {0: reference_state[0]}, 0)
    else:
        assert unused not in optimizer.state


def through_bytes(state_dict):
    buffer = io.BytesIO()
    torch.save(state_dict, buffer)
    buffer.seek(0)
    return torch.load(buffer)


def swap_midway(first_class, second_class, arguments, data, dtype):
    """A model trained STEPS // 2 steps by first_class, then by second_class from its state_dict."""
    model = make_model(dtype)
    first = first_class(model.parameters(), **arguments)
    train(model, first, data, STEPS // 2)
    second = second_class(model.parameters(), lr=1.0)
    second.load_state_dict(through_bytes(first.state_dict()))
    train(model, second, data, STEPS - STEPS // 2)
    return model


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case_id, name, arguments", CASES, ids=CASE_IDS)
def test_state_dict_swaps_both_ways_midway(case_id, name, arguments, dtype):
    data = make_data(dtype)
    uninterrupted = make_model(dtype)
    train(uninterrupted, reference_class(name)(uninterrupted.parameters(), **arguments), data,
          STEPS)
    expected = list(uninterrupted.parameters())
    ours, theirs = getattr(descent_torch, name), reference_class(name)
    into_descent = swap_midway(theirs, ours, arguments, data, dtype)
    into_torch = swap_midway(ours, theirs, arguments, data, dtype)
    assert relative_difference(list(into_descent.parameters()), expected) <= TOLERANCE[dtype]
    assert relative_difference(list(into_torch.parameters()), expected) <= TOLERANCE[dtype]


def test_changed_hyperparameters_keep_the_state():
    """A group's options changed midway rebuild the kernels from the state so far, as torch."""
    dtype = torch.float64
    data = make_data(dtype)
    models = [make_model(dtype), make_model(dtype)]
    optimizers = [descent_torch.Adam(models[0].parameters(), lr=1e-2),
                  torch.optim.Adam(models[1].parameters(), lr=1e-2)]
    for model, optimizer in zip(models, optimizers):
        train(model, optimizer, data, STEPS // 2)
        optimizer.param_groups[0].update(betas=(0.8, 0.99), weight_decay=1e-2)
        train(model, optimizer, data, STEPS // 2)
    assert relative_difference(list(models[0].parameters()),
                               list(models[1].parameters())) < 1e-12


def test_updates_the_parameters_own_memory():
    storage = torch.zeros(10, dtype=torch.float64)
    param = storage[2:6].requires_grad_()
    optimizer = descent_torch.SGD([param], lr=0.5)
    address = param.data_ptr()
    param.grad = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    optimizer.step()
    assert param.data_ptr() == address
    assert storage.tolist() == [0, 0, -0.5, -1.0, -1.5, -2.0, 0, 0, 0, 0]


def test_state_tensors_are_the_kernels_buffers():
    param = torch.nn.Parameter(torch.ones(3, 2, dtype=torch.float32))
    optimizer = descent_torch.Adam([param], lr=0.1)
    param.grad = torch.ones_like(param)
    optimizer.step()
    exp_avg = optimizer.state[param]["exp_avg"]
    address = exp_avg.data_ptr()
    kernel_buffer = optimizer._kernels[param].core.state()["m"]
    assert kernel_buffer.ctypes.data == address
    assert exp_avg.shape == param.shape
    optimizer.step()
    assert optimizer.state[param]["exp_avg"].data_ptr() == address
    assert kernel_buffer.tolist() == pytest.approx([0.19] * 6)
    assert optimizer.state[param]["step"].item() == 2


BAD_PARAMETERS = [
    ("float16", lambda: torch.zeros(3, dtype=torch.float16, requires_grad=True), TypeError,
     "float16"),
    ("int", lambda: torch.zeros(3, dtype=torch.int64), TypeError, "int64"),
    ("non-contiguous", lambda: torch.zeros(4, 3).t().requires_grad_(), ValueError, "contiguous"),
    ("other-device", lambda: torch.zeros(3, device="meta", requires_grad=True), ValueError,
     "device meta"),
]


@pytest.mark.parametrize("make, error, message", [case[1:] for case in BAD_PARAMETERS],
                         ids=[case[0] for case in BAD_PARAMETERS])
def test_parameter_it_cannot_update_in_place_is_refused(make, error, message):
    with pytest.raises(error, match=message):
        descent_torch.Adam([make()])


def test_parameter_made_non_contiguous_later_is_refused_at_the_step():
    param = torch.nn.Parameter(torch.zeros(3, 4))
    optimizer = descent_torch.SGD([param], lr=0.1)
    param.data = torch.zeros(4, 3).t()
    param.grad = torch.ones(3, 4)
    with pytest.raises(ValueError, match="group 0 parameter 0: not a contiguous"):
        optimizer.step()
    assert torch.equal(param, torch.zeros(3, 4))


BAD_OPTIONS = [
    ("negative-lr", "Adam", dict(lr=-0.1), ValueError, "lr"),
    ("unknown-argument", "Adam", dict(bogus=1), TypeError, "bogus"),
    ("unknown-convention", "SGD", dict(lr=0.1, momentum=0.9, convention="bogus"), ValueError,
     "momentum.convention"),
    ("beta-out-of-range", "Adam", dict(betas=(1.5, 0.999)), ValueError, "beta1"),
    ("negative-eps", "RMSprop", dict(eps=-1.0), ValueError, "eps"),
    ("maximize", "Adam", dict(maximize=True), ValueError, "maximize"),
    ("foreach", "SGD", dict(lr=0.1, foreach=True), ValueError, "foreach"),
    ("adamw-amsgrad", "AdamW", dict(amsgrad=True), ValueError, "amsgrad"),
    ("nesterov-without-momentum", "SGD", dict(lr=0.1, nesterov=True), ValueError, "nesterov"),
    ("negative-lr-decay", "Adagrad", dict(lr_decay=-1.0), ValueError, "lr_decay"),
    ("sgd-without-lr", "SGD", dict(), ValueError, "lr"),
]


@pytest.mark.parametrize("name, arguments, error, message", [case[1:] for case in BAD_OPTIONS],
                         ids=[case[0] for case in BAD_OPTIONS])
def test_bad_options_are_refused(name, arguments, error, message):
    with pytest.raises(error, match=message):
        getattr(descent_torch, name)([torch.nn.Parameter(torch.zeros(3))], **arguments)


def test_bad_parameter_group_is_refused_and_not_added():
    optimizer = descent_torch.Adam([torch.nn.Parameter(torch.zeros(3))])
    with pytest.raises(ValueError, match="beta2"):
        optimizer.add_param_group({"params": [torch.nn.Parameter(torch.zeros(2))],
                                   "betas": (0.9, 1.0)})
    assert len(optimizer.param_groups) == 1


def test_negative_learning_rate_set_later_is_refused_at_the_step():
    param = torch.nn.Parameter(torch.ones(3))
    optimizer = descent_torch.SGD([param], lr=0.1)
    optimizer.param_groups[0]["lr"] = -0.1
    param.grad = torch.ones(3)
    with pytest.raises(ValueError, match="lr: group 0 has learning rate -0.1"):
        optimizer.step()
    assert torch.equal(param, torch.ones(3))


@pytest.mark.parametrize("bad", [float("nan"), float("inf")], ids=["nan", "inf"])
def test_non_finite_gradient_is_refused_before_any_update(bad):
    first = torch.nn.Parameter(torch.ones(3))
    second = torch.nn.Parameter(torch.ones(3))
    optimizer = descent_torch.Adam([first, second], lr=0.1)
    first.grad = torch.ones(3)
    second.grad = torch.tensor([1.0, bad, 1.0])
    with pytest.raises(ValueError, match="group 0 parameter 1: the gradient holds NaN or Inf"):
        optimizer.step()
    assert torch.equal(first, torch.ones(3)) and torch.equal(second, torch.ones(3))
    second.grad = torch.ones(3)
    optimizer.step()
    assert optimizer.state[first]["step"].item() == 1


def test_finite_gradient_whose_sum_overflows_is_accepted():
    param = torch.nn.Parameter(torch.zeros(2))
    optimizer = descent_torch.SGD([param], lr=0.5)
    param.grad = torch.full((2,), 3e38)
    optimizer.step()
    assert torch.equal(param, torch.full((2,), -1.5e38))


def test_descent_imports_and_steps_without_torch():
    code = "\n".join([
        "import sys",
        "sys.modules['torch'] = None",
        "import numpy, descent",
        "from descent import _core",
        "w = numpy.ones(3)",
        "_core.Optimizer('adam', {}).step(w, numpy.ones(3), 0.1)",
        "assert numpy.allclose(w, 0.9), w",
        "try:",
        "    import descent.torch",
        "except ImportError:",
        "    print('descent.torch needs torch')",
    ])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "descent.torch needs torch"
