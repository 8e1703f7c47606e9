"""descent.cs231n against the CS231n assignment's update rules (assignment 2, optim.py)."""

import pickle
import types

import numpy as np
import pytest

from descent import _core, cs231n

ASSIGNMENT_RULES = ["sgd", "sgd_momentum", "rmsprop", "adam"]
DESCENT_RULES = [
    "nesterov", "adagrad", "adamw", "amsgrad", "adamax", "nadam", "radam", "adadelta", "lion"
]


def rel_error(x, y):
    """The notebook's relative error."""
    return np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))


def notebook_array(start, stop):
    """The notebook's inputs: N*D evenly spaced values, N, D = 4, 5."""
    return np.linspace(start, stop, num=20).reshape(4, 5)


# The fixed-input checks of the assignment's FullyConnectedNets.ipynb (CS231n
# assignment 2, cells "SGD+Momentum" and "RMSProp and Adam"; a public copy:
# github.com/Burton2000/CS231n-2017, assignment2/FullyConnectedNets.ipynb). The
# notebook asks for errors below 1e-8 (sgd_momentum), below 1e-7 (rmsprop) and
# "around 1e-7 or less" (adam): Adam's formula gives 1.14e-7 on next_w against
# the notebook's values, rounded to 8 decimals (0.01971428 weighs most), so
# that check takes 2e-7.


def test_sgd_momentum_matches_the_notebook():
    w, dw = notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)
    config = {"learning_rate": 1e-3, "velocity": notebook_array(0.6, 0.9)}
    next_w, _ = cs231n.sgd_momentum(w, dw, config=config)
    expected_next_w = np.asarray([
        [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789],
        [0.47454737, 0.54133684, 0.60812632, 0.67491579, 0.74170526],
        [0.80849474, 0.87528421, 0.94207368, 1.00886316, 1.07565263],
        [1.14244211, 1.20923158, 1.27602105, 1.34281053, 1.4096]])
    expected_velocity = np.asarray([
        [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158],
        [0.61138947, 0.62554737, 0.63970526, 0.65386316, 0.66802105],
        [0.68217895, 0.69633684, 0.71049474, 0.72465263, 0.73881053],
        [0.75296842, 0.76712632, 0.78128421, 0.79544211, 0.8096]])
    assert rel_error(next_w, expected_next_w) < 1e-8
    assert rel_error(expected_velocity, config["velocity"]) < 1e-8


def test_rmsprop_matches_the_notebook():
    w, dw = notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)
    config = {"learning_rate": 1e-2, "cache": notebook_array(0.6, 0.9)}
    next_w, _ = cs231n.rmsprop(w, dw, config=config)
    expected_next_w = np.asarray([
        [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247],
        [-0.132737, -0.08078555, -0.02881884, 0.02316247, 0.07515774],
        [0.12716641, 0.17918792, 0.23122175, 0.28326742, 0.33532447],
        [0.38739248, 0.43947102, 0.49155973, 0.54365823, 0.59576619]])
    expected_cache = np.asarray([
        [0.5976, 0.6126277, 0.6277108, 0.64284931, 0.65804321],
        [0.67329252, 0.68859723, 0.70395734, 0.71937285, 0.73484377],
        [0.75037008, 0.7659518, 0.78158892, 0.79728144, 0.81302936],
        [0.82883269, 0.84469141, 0.86060554, 0.87657507, 0.8926]])
    assert rel_error(expected_next_w, next_w) < 1e-7
    assert rel_error(expected_cache, config["cache"]) < 1e-7


def test_adam_matches_the_notebook():
    w, dw = notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)
    config = {"learning_rate": 1e-2, "m": notebook_array(0.6, 0.9),
              "v": notebook_array(0.7, 0.5), "t": 5}
    next_w, _ = cs231n.adam(w, dw, config=config)
    expected_next_w = np.asarray([
        [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977],
        [-0.1380274, -0.08544591, -0.03286534, 0.01971428, 0.0722929],
        [0.1248705, 0.17744702, 0.23002243, 0.28259667, 0.33516969],
        [0.38774145, 0.44031188, 0.49288093, 0.54544852, 0.59801459]])
    expected_v = np.asarray([
        [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853],
        [0.64683452, 0.63628604, 0.6257431, 0.61520571, 0.60467385],
        [0.59414753, 0.58362676, 0.57311152, 0.56260183, 0.55209767],
        [0.54159906, 0.53110598, 0.52061845, 0.51013645, 0.49966]])
    expected_m = np.asarray([
        [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474],
        [0.57736842, 0.59684211, 0.61631579, 0.63578947, 0.65526316],
        [0.67473684, 0.69421053, 0.71368421, 0.73315789, 0.75263158],
        [0.77210526, 0.79157895, 0.81105263, 0.83052632, 0.85]])
    assert rel_error(expected_next_w, next_w) < 2e-7
    assert rel_error(expected_v, config["v"]) < 1e-7
    assert rel_error(expected_m, config["m"]) < 1e-7
    assert config["t"] == 6


def test_sgd_updates_w_in_place_and_returns_it():
    w, dw = notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)
    expected = w - 1e-2 * dw
    next_w, config = cs231n.sgd(w, dw)
    assert next_w is w
    np.testing.assert_allclose(w, expected, rtol=1e-15, atol=0)
    assert config == {"learning_rate": 1e-2}


def test_other_rules_leave_w_unchanged():
    w, dw = notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)
    before = w.copy()
    for name in ASSIGNMENT_RULES[1:] + DESCENT_RULES:
        next_w, _ = getattr(cs231n, name)(w, dw)
        assert next_w is not w
        assert not np.array_equal(next_w, before), name
        np.testing.assert_array_equal(w, before)


@pytest.mark.parametrize("name, expected", [
    ("sgd", {"learning_rate": 1e-2}),
    ("sgd_momentum", {"learning_rate": 1e-2, "momentum": 0.9}),
    ("rmsprop", {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8}),
    ("adam", {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 1}),
])
def test_defaults_are_the_assignments(name, expected):
    w, dw = notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)
    _, config = getattr(cs231n, name)(w, dw)
    hyperparameters = {key: value for key, value in config.items()
                       if not isinstance(value, np.ndarray)}
    assert hyperparameters == expected


@pytest.mark.parametrize("name, state", [
    ("sgd", set()),
    ("sgd_momentum", {"velocity"}),
    ("rmsprop", {"cache"}),
    ("adam", {"m", "v"}),
    ("nesterov", {"velocity"}),
    ("adagrad", {"cache"}),
    ("adamw", {"m", "v"}),
    ("amsgrad", {"m", "v", "v_max"}),
    ("adamax", {"m", "u"}),
    ("nadam", {"m", "v"}),
    ("radam", {"m", "v"}),
    ("adadelta", {"mean_g2", "mean_dx2"}),
    ("lion", {"m"}),
])
def test_state_is_kept_under_its_names_in_ws_shape_and_dtype(name, state):
    for dtype in (np.float32, np.float64):
        w = notebook_array(-0.4, 0.6).astype(dtype)
        dw = notebook_array(-0.6, 0.4).astype(dtype)
        _, config = getattr(cs231n, name)(w, dw)
        arrays = {key for key, value in config.items() if isinstance(value, np.ndarray)}
        assert arrays == state
        for key in state:
            assert config[key].shape == w.shape and config[key].dtype == dtype


@pytest.mark.parametrize("name", DESCENT_RULES)
def test_descent_rules_take_descents_options_and_defaults(name):
    w, dw = notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)
    _, config = getattr(cs231n, name)(w, dw)
    options = {option["name"].replace("-", "_"): option["default"]
               for option in _core.method_options(name)}
    if "eps" in options:
        options["epsilon"] = options.pop("eps")
    assert config["learning_rate"] == _core.default_learning_rate(name)
    assert config["t"] == 1
    for key, default in options.items():
        assert config[key] == default


@pytest.mark.parametrize("name", ASSIGNMENT_RULES + DESCENT_RULES)
def test_state_in_config_continues_as_one_optimizer(name):
    """Twelve calls, each rebuilding the state from config, step as one descent optimizer."""
    rng = np.random.default_rng(7)
    w0 = rng.standard_normal((3, 4))
    grads = [rng.standard_normal((3, 4)) for _ in range(12)]
    rule = getattr(cs231n, name)
    w, config = w0.copy(), {"learning_rate": 1e-2}
    for dw in grads:
        w, config = rule(w, dw, config)
    optimizer = _core.Optimizer("momentum" if name == "sgd_momentum" else name, {})
    reference = w0.copy()
    for dw in grads:
        optimizer.step(reference, dw, 1e-2)
    np.testing.assert_array_equal(w, reference)


def test_learning_rate_is_read_again_at_every_call():
    w, dw = notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)
    config = {"learning_rate": 1e-2}
    _, config = cs231n.sgd_momentum(w, dw, config)
    velocity = config["velocity"].copy()
    config["learning_rate"] = 1e-3
    next_w, config = cs231n.sgd_momentum(w, dw, config)
    # v = momentum * v - learning_rate * dw, with the new learning rate
    expected_velocity = 0.9 * velocity - 1e-3 * dw
    np.testing.assert_allclose(config["velocity"], expected_velocity, rtol=1e-14, atol=0)
    np.testing.assert_allclose(next_w, w + expected_velocity, rtol=1e-14, atol=0)


def test_config_returned_is_the_dict_passed():
    w, dw = notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)
    for name in ASSIGNMENT_RULES + DESCENT_RULES:
        config = {}
        _, returned = getattr(cs231n, name)(w.copy(), dw, config)
        assert returned is config


def test_pickled_config_continues_identically():
    rng = np.random.default_rng(3)
    grads = [rng.standard_normal((2, 3)) for _ in range(10)]
    w, config = rng.standard_normal((2, 3)), None
    for dw in grads[:5]:
        w, config = cs231n.adam(w, dw, config)
    restored = pickle.loads(pickle.dumps(config))
    w_restored = w.copy()
    for dw in grads[5:]:
        w, config = cs231n.adam(w, dw, config)
        w_restored, restored = cs231n.adam(w_restored, dw, restored)
    np.testing.assert_array_equal(w, w_restored)
    assert restored.keys() == config.keys()
    for key in config:
        np.testing.assert_array_equal(restored[key], config[key])
    assert config["t"] == 10


def test_rules_pickle_by_name():
    for name in ASSIGNMENT_RULES + DESCENT_RULES:
        rule = getattr(cs231n, name)
        assert pickle.loads(pickle.dumps(rule)) is rule


# A Solver-style run: a two-layer net (affine - relu - affine - softmax) trained
# as the assignment's Solver trains it, once with the assignment's rules and
# once with descent's.


def reference_sgd(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    # w -= learning_rate * dw, in place
    w -= config["learning_rate"] * dw
    return w, config


def reference_sgd_momentum(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    # v = momentum * v - learning_rate * dw; next_w = w + v
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def reference_rmsprop(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    # cache = decay_rate * cache + (1 - decay_rate) * dw**2
    # next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)
    rate = config["decay_rate"]
    config["cache"] = rate * config["cache"] + (1 - rate) * dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    return next_w, config


def reference_adam(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    # t += 1; m = beta1 * m + (1 - beta1) * dw; v = beta2 * v + (1 - beta2) * dw**2
    # next_w = w - learning_rate * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + epsilon)
    beta1, beta2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = beta1 * config["m"] + (1 - beta1) * dw
    config["v"] = beta2 * config["v"] + (1 - beta2) * dw**2
    m_hat = config["m"] / (1 - beta1 ** config["t"])
    v_hat = config["v"] / (1 - beta2 ** config["t"])
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    return next_w, config


REFERENCE_OPTIM = types.SimpleNamespace(
    sgd=reference_sgd, sgd_momentum=reference_sgd_momentum,
    rmsprop=reference_rmsprop, adam=reference_adam)


def two_layer_net_loss(params, X, y, reg=1e-3):
    """Softmax loss of affine - relu - affine, with L2 regularization, and its gradients."""
    hidden = np.maximum(0, X @ params["W1"] + params["b1"])
    scores = hidden @ params["W2"] + params["b2"]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    n = X.shape[0]
    loss = -np.log(probs[np.arange(n), y]).mean()
    loss += 0.5 * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    dscores /= n
    dhidden = (dscores @ params["W2"].T) * (hidden > 0)
    grads = {
        "W1": X.T @ dhidden + reg * params["W1"],
        "b1": dhidden.sum(axis=0),
        "W2": hidden.T @ dscores + reg * params["W2"],
        "b2": dscores.sum(axis=0),
    }
    return loss, grads


def solver_run(optim, update_rule, optim_config, iterations=200, iterations_per_epoch=20,
               lr_decay=0.9, batch_size=16):
    """Trains as the assignment's Solver does: one config per parameter, a step of
    `optim.<update_rule>` per parameter per iteration, and the learning rate of
    every config multiplied by lr_decay at the end of each epoch."""
    rng = np.random.default_rng(231)
    X = rng.standard_normal((64, 8))
    y = rng.integers(0, 4, size=64)
    params = {
        "W1": 1e-1 * rng.standard_normal((8, 16)), "b1": np.zeros(16),
        "W2": 1e-1 * rng.standard_normal((16, 4)), "b2": np.zeros(4),
    }
    configs = {name: dict(optim_config) for name in params}
    rule = getattr(optim, update_rule)
    losses = []
    for iteration in range(iterations):
        batch = rng.choice(64, batch_size)
        loss, grads = two_layer_net_loss(params, X[batch], y[batch])
        losses.append(loss)
        for name in params:
            params[name], configs[name] = rule(params[name], grads[name], configs[name])
        if (iteration + 1) % iterations_per_epoch == 0:
            for config in configs.values():
                config["learning_rate"] *= lr_decay
    return params, configs, losses


@pytest.mark.parametrize("update_rule, learning_rate", [
    ("sgd", 2e-1), ("sgd_momentum", 5e-2), ("rmsprop", 3e-3), ("adam", 3e-3),
])
def test_solver_run_matches_the_assignments_rules(update_rule, learning_rate):
    optim_config = {"learning_rate": learning_rate}
    expected_params, expected_configs, losses = solver_run(
        REFERENCE_OPTIM, update_rule, optim_config)
    params, configs, _ = solver_run(cs231n, update_rule, optim_config)
    assert np.mean(losses[-20:]) < 0.9 * np.mean(losses[:20])
    for name, expected in expected_params.items():
        assert np.max(np.abs(params[name] - expected)) < 1e-10, name
    for name, expected in expected_configs.items():
        assert configs[name].keys() == expected.keys()
        for key, value in expected.items():
            assert np.max(np.abs(np.asarray(configs[name][key]) - value)) < 1e-10, (name, key)


# Bad inputs: each a Python exception naming what is wrong.


def sample():
    return notebook_array(-0.4, 0.6), notebook_array(-0.6, 0.4)


def test_w_of_another_dtype_is_a_type_error():
    _, dw = sample()
    with pytest.raises(TypeError, match=r"^w: expected a float32 or float64"):
        cs231n.adam(np.arange(20).reshape(4, 5), dw)
    with pytest.raises(TypeError, match=r"^w: "):
        cs231n.sgd([0.5, 1.0], dw)


def test_dw_of_another_dtype_is_a_type_error():
    w, dw = sample()
    with pytest.raises(TypeError, match=r"^dw: .*float64"):
        cs231n.rmsprop(w, dw.astype(np.float32))


def test_dw_of_another_shape_is_a_value_error():
    w, dw = sample()
    with pytest.raises(ValueError, match=r"^dw: expected shape \(4, 5\)"):
        cs231n.sgd_momentum(w, dw.T.copy())


def test_non_contiguous_arrays_are_value_errors():
    w, dw = sample()
    with pytest.raises(ValueError, match=r"^dw: .*C-contiguous"):
        cs231n.adam(w, np.asfortranarray(dw))
    with pytest.raises(ValueError, match=r"^w: .*C-contiguous"):
        cs231n.sgd(np.asfortranarray(w), dw)


def test_read_only_w_is_a_value_error_for_the_update_in_place():
    w, dw = sample()
    w.flags.writeable = False
    with pytest.raises(ValueError, match=r"^w: .*read-only"):
        cs231n.sgd(w, dw)


def test_nan_gradient_is_a_value_error_and_changes_nothing():
    w, dw = sample()
    config = {"learning_rate": 1e-2, "velocity": notebook_array(0.6, 0.9)}
    dw[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"^dw: .*NaN"):
        cs231n.sgd_momentum(w, dw, config)
    np.testing.assert_array_equal(config["velocity"], notebook_array(0.6, 0.9))
    w_before = w.copy()
    with pytest.raises(ValueError, match=r"^dw: .*NaN"):
        cs231n.sgd(w, dw)
    np.testing.assert_array_equal(w, w_before)


def test_unknown_config_key_is_a_value_error_naming_it():
    w, dw = sample()
    misspelt = {"learning_rate": 1e-2, "velocty": np.zeros((4, 5))}
    with pytest.raises(ValueError, match=r"^velocty: not a hyperparameter or state of sgd_mom"):
        cs231n.sgd_momentum(w, dw, misspelt)
    with pytest.raises(ValueError, match=r"^t: not a hyperparameter or state of rmsprop"):
        cs231n.rmsprop(w, dw, {"t": 3})


def test_negative_learning_rate_is_a_value_error():
    w, dw = sample()
    with pytest.raises(ValueError, match=r"^learning_rate: expected a finite number >= 0"):
        cs231n.adam(w, dw, {"learning_rate": -1e-3})
    with pytest.raises(TypeError, match=r"^learning_rate: expected a number"):
        cs231n.adam(w, dw, {"learning_rate": "fast"})


def test_bad_hyperparameters_are_value_errors_naming_their_key():
    w, dw = sample()
    with pytest.raises(ValueError, match=r"^beta1: "):
        cs231n.adam(w, dw, {"beta1": 1.5})
    with pytest.raises(ValueError, match=r"^epsilon: "):
        cs231n.rmsprop(w, dw, {"epsilon": -1.0})
    with pytest.raises(ValueError, match=r"^t: expected a step count >= 0"):
        cs231n.adam(w, dw, {"t": -1})


def test_state_of_another_size_is_a_value_error_naming_it():
    w, dw = sample()
    with pytest.raises(ValueError, match=r"^velocity: expected 20 values"):
        cs231n.sgd_momentum(w, dw, {"velocity": np.zeros(19)})
