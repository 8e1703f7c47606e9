"""descent.optim, descent.schedule and the minimizers from NumPy: the updates
against the formulas written out here, the state as views of the C++ buffers,
updates in the array's own memory, pickling, and a clear exception for every
input that cannot be updated."""

import math
import pickle

import numpy as np
import pytest

import descent
from descent import optim
from descent import minimizers
from descent.schedule import Schedule, schedule_names

DTYPES = [np.float32, np.float64]


def problem(dtype, n=50, seed=0):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(n).astype(dtype)
    grads = [rng.standard_normal(n).astype(dtype) for _ in range(10)]
    return w, grads


def adam_by_hand(w, grads, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """The notes' Adam with bias correction, in float64."""
    w = w.astype(np.float64).copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t, dw in enumerate(grads, start=1):
        dw = dw.astype(np.float64)
        m = beta1 * m + (1 - beta1) * dw
        v = beta2 * v + (1 - beta2) * dw * dw
        mt = m / (1 - beta1**t)
        vt = v / (1 - beta2**t)
        w -= lr * mt / (np.sqrt(vt) + eps)
    return w, m, v


def momentum_by_hand(w, grads, lr, mu):
    """The notes' momentum: v = mu * v - lr * dx; x += v."""
    w = w.astype(np.float64).copy()
    v = np.zeros_like(w)
    for dw in grads:
        v = mu * v - lr * dw
        w += v
    return w, v


@pytest.mark.parametrize("dtype", DTYPES)
def test_adam_follows_the_formula_in_place(dtype):
    w, grads = problem(dtype)
    expected, m, v = adam_by_hand(w, grads, lr=1e-2)
    address = w.ctypes.data
    opt = optim.Adam(lr=1e-2)
    for dw in grads:
        assert opt.step(w, dw) is w
    assert w.ctypes.data == address
    tolerance = 1e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(w, expected, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(opt.state["m"], m, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(opt.state["v"], v, rtol=tolerance, atol=1e-12)
    assert opt.steps == len(grads)


def test_momentum_keeps_the_notes_velocity():
    w, grads = problem(np.float64)
    expected, velocity = momentum_by_hand(w, grads, lr=0.05, mu=0.9)
    opt = optim.Momentum(lr=0.05, momentum=0.9)
    for dw in grads:
        opt.step(w, dw)
    np.testing.assert_allclose(w, expected, rtol=1e-13)
    np.testing.assert_allclose(opt.state["velocity"], velocity, rtol=1e-13)


def test_every_registry_name_has_a_class_with_the_registry_rate():
    for name in optim.optimizer_names():
        matches = [c for c in vars(optim).values()
                   if isinstance(c, type) and issubclass(c, optim.Optimizer) and c.name == name]
        assert len(matches) == 1, name
        opt = matches[0]()
        assert opt.name == name
        assert opt.lr == descent._core.default_learning_rate(name)
        w, grads = problem(np.float64, n=8)
        before = w.copy()
        opt.step(w, grads[0])
        assert not np.array_equal(w, before), name


def test_the_class_by_name_and_by_class_agree():
    w1, grads = problem(np.float32)
    w2 = w1.copy()
    a = optim.Optimizer("rmsprop", lr=1e-3, decay_rate=0.9)
    b = optim.RMSProp(lr=1e-3, decay_rate=0.9)
    for dw in grads:
        a.step(w1, dw)
        b.step(w2, dw)
    assert np.array_equal(w1, w2)


def test_state_views_write_through_to_the_optimizer():
    w, grads = problem(np.float64)
    opt = optim.Momentum(lr=0.1, momentum=0.5)
    opt.step(w, grads[0])
    opt.state["velocity"][...] = 0.0
    before = w.copy()
    opt.step(w, grads[1])
    np.testing.assert_allclose(w, before - 0.1 * grads[1], rtol=1e-15)
    assert opt.state["velocity"].shape == w.shape


def test_load_state_and_steps_continue_a_run_exactly():
    w, grads = problem(np.float64)
    full = optim.Adam(lr=1e-2)
    w_full = w.copy()
    for dw in grads:
        full.step(w_full, dw)
    first = optim.Adam(lr=1e-2)
    w_half = w.copy()
    for dw in grads[:5]:
        first.step(w_half, dw)
    second = optim.Adam(lr=1e-2)
    second.prepare(w.shape, np.float64)
    second.load_state({k: v.copy() for k, v in first.state.items()}, steps=first.steps)
    for dw in grads[5:]:
        second.step(w_half, dw)
    assert np.array_equal(w_half, w_full)


@pytest.mark.parametrize("name", ["adam", "nadam", "adadelta", "rmsprop"])
def test_pickle_resumes_bit_for_bit(name):
    w, grads = problem(np.float32)
    opt = optim.Optimizer(name)
    w_copy = w.copy()
    for dw in grads[:4]:
        opt.step(w, dw)
    restored = pickle.loads(pickle.dumps(opt))
    w_copy[...] = w
    for dw in grads[4:]:
        opt.step(w, dw)
        restored.step(w_copy, dw)
    assert np.array_equal(w, w_copy)
    assert restored.steps == opt.steps


def test_the_lr_of_a_step_overrides_the_optimizers():
    w, grads = problem(np.float64)
    opt = optim.SGD(lr=1.0)
    before = w.copy()
    opt.step(w, grads[0], lr=0.25)
    np.testing.assert_allclose(w, before - 0.25 * grads[0], rtol=1e-15)


# Bad inputs: each a Python exception naming what is wrong, and nothing updated.

def test_wrong_dtype_of_w_is_a_type_error():
    with pytest.raises(TypeError, match="w: expected a float32 or float64"):
        optim.SGD().step(np.arange(4), np.ones(4))


def test_dw_of_another_dtype_is_a_type_error():
    w = np.ones(4, dtype=np.float32)
    with pytest.raises(TypeError, match="dw: expected a float32 array, got float64"):
        optim.SGD().step(w, np.ones(4))
    assert np.all(w == 1)


def test_the_dtype_is_fixed_by_the_first_step():
    opt = optim.Adam()
    opt.step(np.ones(4, dtype=np.float32), np.ones(4, dtype=np.float32))
    with pytest.raises(TypeError, match="state is float32, got float64"):
        opt.step(np.ones(4), np.ones(4))


def test_wrong_shape_is_a_value_error():
    w = np.ones((3, 4))
    with pytest.raises(ValueError, match=r"dw: expected shape \(3, 4\) as w has, got \(4, 3\)"):
        optim.Adam().step(w, np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"dw: expected shape \(3, 4\)"):
        optim.Adam().step(w, np.ones(5))


def test_non_contiguous_is_a_value_error_not_a_copy():
    w = np.ones(10)
    with pytest.raises(ValueError, match="w: expected a C-contiguous array"):
        optim.SGD().step(w[::2], np.ones(5))
    with pytest.raises(ValueError, match="w: expected a C-contiguous array"):
        optim.SGD().step(np.ones((4, 3)).T, np.ones((3, 4)))


def test_read_only_is_a_value_error():
    w = np.ones(4)
    w.setflags(write=False)
    with pytest.raises(ValueError, match="w: the array is read-only"):
        optim.SGD().step(w, np.ones(4))


def test_nan_gradient_is_a_value_error_and_nothing_moves():
    w = np.ones(4)
    opt = optim.Adam()
    with pytest.raises(ValueError, match="dw: the gradient holds NaN or Inf"):
        opt.step(w, np.array([0.0, np.nan, 0.0, 0.0]))
    assert np.all(w == 1)
    with pytest.raises(ValueError, match="NaN or Inf"):
        opt.step(w, np.array([0.0, np.inf, 0.0, 0.0]))


def test_unknown_option_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="momentun"):
        optim.Momentum(momentun=0.9)
    with pytest.raises(ValueError, match="unknown optimizer|no-such"):
        optim.Optimizer("no-such")


def test_out_of_range_option_names_the_field():
    with pytest.raises(ValueError, match="beta1"):
        optim.Adam(beta1=1.5)


@pytest.mark.parametrize("lr", [-1e-3, math.nan, math.inf])
def test_bad_learning_rate_is_a_value_error(lr):
    with pytest.raises(ValueError, match="lr: expected a finite learning rate >= 0"):
        optim.Adam(lr=lr)
    w = np.ones(4)
    with pytest.raises(ValueError, match="lr: expected a finite learning rate >= 0"):
        optim.Adam().step(w, np.ones(4), lr=lr)
    with pytest.raises(ValueError, match="lr: expected a finite learning rate >= 0"):
        descent._core.Optimizer("adam", {}).step(w, np.ones(4), lr, True)


def test_not_an_array_is_a_type_error():
    with pytest.raises(TypeError, match="w: expected a NumPy array, got list"):
        optim.SGD().step([1.0, 2.0], np.ones(2))


def test_options_are_listed_from_the_one_table():
    names = [option["name"] for option in optim.Adam.option_table()]
    assert {"beta1", "beta2", "eps", "weight_decay"} <= set(names)
    adam = {option["name"]: option["default"] for option in optim.Adam.option_table()}
    assert adam["beta1"] == 0.9 and adam["beta2"] == 0.999


# Schedules.

def test_schedules_follow_their_formulas():
    step = Schedule("step", 0.1, step_size=3, gamma=0.5)
    assert [step(t) for t in range(7)] == pytest.approx(
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], rel=1e-15)
    inverse = Schedule("inverse-time", 0.2, decay=0.5)
    assert inverse(4) == pytest.approx(0.2 / (1 + 0.5 * 4), rel=1e-15)
    cosine = Schedule("cosine", 1.0, period=10, min_lr=0.1)
    for t in range(11):
        expected = 0.1 + 0.9 * (1 + math.cos(math.pi * t / 10)) / 2
        assert cosine(t) == pytest.approx(expected, rel=1e-14)
    warm = Schedule("constant", 0.3, warmup=2)
    assert [warm(t) for t in range(4)] == pytest.approx([0.1, 0.2, 0.3, 0.3], rel=1e-15)
    assert "one-cycle" in schedule_names()


def test_plateau_reduces_on_observed_metrics():
    plateau = Schedule("plateau", 1.0, patience=1, factor=0.5)
    for metric in [1.0, 1.0, 1.0]:
        plateau.observe(metric)
    assert plateau(0) == 0.5


def test_bad_schedule_settings_name_the_field():
    with pytest.raises(ValueError, match="gamma"):
        Schedule("step", 0.1, step_size=3, gamma=1.5)
    with pytest.raises(ValueError, match="no-such|schedule"):
        Schedule("no-such", 0.1)
    with pytest.raises(ValueError, match="stepsize"):
        Schedule("step", 0.1, stepsize=3)


# Minimizers.

def rosenbrock(x):
    value = 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
    grad = np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)])
    return value, grad


@pytest.mark.parametrize("method", ["lbfgs", "cg"])
def test_minimize_function_finds_the_minimum(method):
    x0 = np.array([-1.2, 1.0])
    result = descent.minimize_function(rosenbrock, x0, method=method, max_iterations=500)
    assert result.converged, result.message
    np.testing.assert_allclose(result.x, [1.0, 1.0], atol=1e-4)
    assert np.array_equal(x0, [-1.2, 1.0])
    assert result.values[0] == pytest.approx(24.2)
    assert np.all(np.diff(result.values) <= 0)


def test_minimize_function_matches_the_built_in_function_to_rounding():
    ours = descent.minimize_function(rosenbrock, np.array([-1.2, 1.0]), max_iterations=30,
                                     gradient_tolerance=0)
    builtin = descent.minimize("rosenbrock", "lbfgs", steps=30)
    np.testing.assert_allclose(ours.values, builtin.values, rtol=1e-6)


def test_minimize_function_errors():
    with pytest.raises(TypeError, match="x0: expected float64"):
        descent.minimize_function(rosenbrock, np.array([1, 2]))
    with pytest.raises(ValueError, match="line-search method"):
        descent.minimize_function(rosenbrock, np.array([1.0, 2.0]), method="adam")
    with pytest.raises(ValueError, match="gradient of 2 values"):
        descent.minimize_function(lambda x: (0.0, np.ones(3)), np.array([1.0, 2.0]))
    with pytest.raises(ZeroDivisionError):
        descent.minimize_function(lambda x: 1 / 0, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="max.iteration"):
        descent.minimize_function(rosenbrock, np.array([1.0, 2.0]), max_iteration=3)


def test_minimize_traces_a_first_order_method_by_its_formula():
    trace = descent.minimize("sphere", "sgd", steps=5, lr=0.1, dim=3)
    assert trace.points.shape == (6, 3)
    np.testing.assert_allclose(trace.points[:, 0], 0.8 ** np.arange(6), rtol=1e-15)
    np.testing.assert_allclose(trace.values, 3 * 0.64 ** np.arange(6), rtol=1e-14)
    assert np.asarray(trace).shape == (6, 3)
    assert not trace.diverged


def test_minimize_takes_a_schedule():
    constant = descent.minimize("booth", "adam", steps=20, lr=0.1)
    decayed = descent.minimize("booth", "adam", steps=20, lr=Schedule("step", 0.1, step_size=5))
    np.testing.assert_array_equal(constant.points[:6], decayed.points[:6])
    assert not np.array_equal(constant.points[7:], decayed.points[7:])
    assert "rosenbrock" in minimizers.test_function_names()
