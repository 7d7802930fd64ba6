"""Programs following PyTorch's beginner tutorials and d2l's first chapters, with the import
swapped (``import autograd_course as torch``), downloads replaced by scikit-learn's 8x8
digits, device lines removed and loops shortened. Each checks what the program prints
against values computed here independently (NumPy, closed forms, PyTorch's known reprs).

The programs follow, step by step: "Learn the Basics" (Build the Neural Network,
Optimizing Model Parameters), "What is torch.nn really?", the 60-minute blitz (Neural
Networks; Training a Classifier), "Learning PyTorch with Examples" (nn, optim, custom
nn.Module) and d2l's concise softmax regression and MLP.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.datasets import load_digits

import autograd_course as torch
import autograd_course.nn.functional as F
from autograd_course import nn, optim
from autograd_course.utils.data import DataLoader, TensorDataset


@pytest.fixture(scope="module")
def digits():
    """Images scaled to [0, 1] as float32, labels as int64, shuffled: 1,500 to train, 297 to test."""
    data = load_digits()
    order = np.random.default_rng(0).permutation(len(data.target))  # writers in both halves
    x = (data.images[order] / 16.0).astype(np.float32)
    y = data.target[order].astype(np.int64)
    return x[:1500], y[:1500], x[1500:], y[1500:]


def arr(t) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def np_log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    return z - np.log(np.exp(z).sum(1, keepdims=True))


# ----- Learn the Basics: Build the Neural Network -------------------------------------------


def test_build_the_neural_network(capsys):
    torch.manual_seed(0)

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(8 * 8, 512),
                nn.ReLU(),
                nn.Linear(512, 512),
                nn.ReLU(),
                nn.Linear(512, 10),
            )

        def forward(self, x):
            x = self.flatten(x)
            logits = self.linear_relu_stack(x)
            return logits

    model = NeuralNetwork()
    print(model)
    X = torch.rand(1, 8, 8)
    logits = model(X)
    pred_probab = nn.Softmax(dim=1)(logits)
    y_pred = pred_probab.argmax(1)
    print(f"Predicted class: {y_pred}")

    input_image = torch.rand(3, 8, 8)
    print(input_image.size())
    flatten = nn.Flatten()
    flat_image = flatten(input_image)
    print(flat_image.size())
    layer1 = nn.Linear(in_features=8 * 8, out_features=20)
    hidden1 = layer1(flat_image)
    print(hidden1.size())
    hidden1 = nn.ReLU()(hidden1)
    seq_modules = nn.Sequential(flatten, layer1, nn.ReLU(), nn.Linear(20, 10))
    logits = seq_modules(torch.rand(3, 8, 8))
    softmax = nn.Softmax(dim=1)
    pred_probab = softmax(logits)
    for name, param in model.named_parameters():
        print(f"Layer: {name} | Size: {param.size()}")

    out = capsys.readouterr().out.splitlines()
    assert out[:11] == [
        "NeuralNetwork(",
        "  (flatten): Flatten(start_dim=1, end_dim=-1)",
        "  (linear_relu_stack): Sequential(",
        "    (0): Linear(in_features=64, out_features=512, bias=True)",
        "    (1): ReLU()",
        "    (2): Linear(in_features=512, out_features=512, bias=True)",
        "    (3): ReLU()",
        "    (4): Linear(in_features=512, out_features=10, bias=True)",
        "  )",
        ")",
        f"Predicted class: tensor([{int(np.argmax(arr(model(X))))}])",
    ]
    assert out[11:14] == [
        "autograd_course.Size([3, 8, 8])",
        "autograd_course.Size([3, 64])",
        "autograd_course.Size([3, 20])",
    ]
    assert out[14] == "Layer: linear_relu_stack.0.weight | Size: autograd_course.Size([512, 64])"
    assert len(out) == 20
    np.testing.assert_allclose(arr(pred_probab).sum(1), 1, rtol=1e-6)
    assert (arr(hidden1) >= 0).all()


# ----- Learn the Basics: Optimizing Model Parameters ----------------------------------------


def test_optimizing_model_parameters(capsys, digits):
    x_train, y_train, x_test, y_test = digits
    torch.manual_seed(0)
    training_data = TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train))
    test_data = TensorDataset(torch.from_numpy(x_test), torch.from_numpy(y_test))
    train_dataloader = DataLoader(training_data, batch_size=64)
    test_dataloader = DataLoader(test_data, batch_size=64)

    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    learning_rate = 1e-1
    batch_size = 64
    epochs = 3

    def train_loop(dataloader, model, loss_fn, optimizer):
        size = len(dataloader.dataset)
        model.train()
        for batch, (X, y) in enumerate(dataloader):
            pred = model(X)
            loss = loss_fn(pred, y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if batch % 10 == 0:
                loss, current = loss.item(), batch * batch_size + len(X)
                print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")

    def test_loop(dataloader, model, loss_fn):
        model.eval()
        size = len(dataloader.dataset)
        num_batches = len(dataloader)
        test_loss, correct = 0, 0
        with torch.no_grad():
            for X, y in dataloader:
                pred = model(X)
                test_loss += loss_fn(pred, y).item()
                # The tutorial writes .type(torch.float): Tensor.type comes with the dtype work.
                correct += (pred.argmax(1) == y).float().sum().item()
        test_loss /= num_batches
        correct /= size
        print(f"Test Error: \n Accuracy: {(100 * correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")

    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    for t in range(epochs):
        print(f"Epoch {t + 1}\n-------------------------------")
        train_loop(train_dataloader, model, loss_fn, optimizer)
        test_loop(test_dataloader, model, loss_fn)
    print("Done!")

    out = capsys.readouterr().out
    # The last report, recomputed in NumPy from the trained weights.
    w1, b1, w2, b2 = (arr(p) for p in model.parameters())
    z = np.maximum(x_test.reshape(-1, 64) @ w1.T + b1, 0) @ w2.T + b2
    accuracy = 100 * np.mean(z.argmax(1) == y_test)
    losses = [-np_log_softmax(z[i : i + 64])[np.arange(len(z[i : i + 64])), y_test[i : i + 64]].mean()
              for i in range(0, len(z), 64)]  # fmt: skip
    last = out.split("Test Error: \n")[-1]
    assert last.startswith(f" Accuracy: {accuracy:>0.1f}%, Avg loss: {np.mean(losses):>8f} \n")
    assert accuracy > 85
    assert out.count("loss: ") == 3 * 3 + 3 and out.endswith("Done!\n")
    assert "[   64/ 1500]" in out


# ----- What is torch.nn really? ----------------------------------------------------------------


def test_what_is_torch_nn_really(capsys, digits):
    x_train, y_train, x_valid, y_valid = digits
    x_train, y_train, x_valid, y_valid = map(
        torch.tensor, (x_train.reshape(-1, 64), y_train, x_valid.reshape(-1, 64), y_valid)
    )
    n, c = x_train.shape
    torch.manual_seed(0)

    # From scratch: weights, log_softmax and the negative log-likelihood by hand.
    weights = torch.randn(64, 10) / math.sqrt(64)
    weights.requires_grad_()
    bias = torch.zeros(10, requires_grad=True)

    def log_softmax(x):
        return x - x.exp().sum(-1).log().unsqueeze(-1)

    def model(xb):
        return log_softmax(xb @ weights + bias)

    bs = 64
    xb = x_train[0:bs]
    preds = model(xb)

    def nll(input, target):
        return -input[range(target.shape[0]), target].mean()

    loss_func = nll
    yb = y_train[0:bs]
    first = loss_func(preds, yb)
    print(first)

    def accuracy(out, yb):
        preds = torch.argmax(out, dim=1)
        return (preds == yb).float().mean()

    print(accuracy(preds, yb))
    ref = -np_log_softmax(arr(xb) @ arr(weights) + arr(bias))[np.arange(bs), arr(yb).astype(int)]
    assert first.item() == pytest.approx(ref.mean(), rel=1e-5)

    # Refactored with F.cross_entropy, nn.Module, nn.Linear, optim, TensorDataset, DataLoader.
    loss_func = F.cross_entropy
    assert loss_func(xb @ weights + bias, yb).item() == pytest.approx(ref.mean(), rel=1e-5)

    class Mnist_Logistic(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(64, 10)

        def forward(self, xb):
            return self.lin(xb)

    lr = 0.5
    epochs = 2

    def get_model():
        model = Mnist_Logistic()
        return model, optim.SGD(model.parameters(), lr=lr)

    def loss_batch(model, loss_func, xb, yb, opt=None):
        loss = loss_func(model(xb), yb)
        if opt is not None:
            loss.backward()
            opt.step()
            opt.zero_grad()
        return loss.item(), len(xb)

    def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
        for epoch in range(epochs):
            model.train()
            for xb, yb in train_dl:
                loss_batch(model, loss_func, xb, yb, opt)
            model.eval()
            with torch.no_grad():
                losses, nums = zip(*[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl])
            val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)
            print(epoch, val_loss)

    def get_data(train_ds, valid_ds, bs):
        return (
            DataLoader(train_ds, batch_size=bs, shuffle=True),
            DataLoader(valid_ds, batch_size=bs * 2),
        )

    train_ds = TensorDataset(x_train, y_train)
    valid_ds = TensorDataset(x_valid, y_valid)
    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    model, opt = get_model()
    fit(epochs, model, loss_func, opt, train_dl, valid_dl)

    # The CNN of the tutorial (three stride-2 convolutions), for 8x8 images.
    class Mnist_CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
            self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
            self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

        def forward(self, xb):
            xb = xb.view(-1, 1, 8, 8)
            xb = F.relu(self.conv1(xb))
            xb = F.relu(self.conv2(xb))
            xb = F.relu(self.conv3(xb))
            xb = F.avg_pool2d(xb, 1)
            return xb.view(-1, xb.size(1))

    model = Mnist_CNN()
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    fit(epochs, model, loss_func, opt, train_dl, valid_dl)

    # nn.Sequential with a Lambda layer and AdaptiveAvgPool2d.
    class Lambda(nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    model = nn.Sequential(
        Lambda(lambda x: x.view(-1, 1, 8, 8)),
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    fit(epochs, model, loss_func, opt, train_dl, valid_dl)

    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"tensor({first.item():.4f}, grad_fn=<NegBackward0>)"
    assert out[1].startswith("tensor(0.")
    val_losses = [float(line.split()[1]) for line in out[2:]]
    assert [line.split()[0] for line in out[2:]] == ["0", "1"] * 3
    assert val_losses[1] < math.log(10) / 2  # logistic regression learns the digits
    with torch.no_grad():
        z = arr(model(x_valid))
    np_loss = -np_log_softmax(z)[np.arange(len(z)), arr(y_valid).astype(int)].mean()
    assert val_losses[-1] == pytest.approx(np_loss, rel=1e-5)


# ----- 60-minute blitz: Neural Networks -----------------------------------------------------------


def test_blitz_neural_networks(capsys):
    torch.manual_seed(0)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, input):
            c1 = F.relu(self.conv1(input))
            s2 = F.max_pool2d(c1, (2, 2))
            c3 = F.relu(self.conv2(s2))
            s4 = F.max_pool2d(c3, 2)
            s4 = torch.flatten(s4, 1)
            f5 = F.relu(self.fc1(s4))
            f6 = F.relu(self.fc2(f5))
            output = self.fc3(f6)
            return output

    net = Net()
    print(net)
    params = list(net.parameters())
    print(len(params))
    print(params[0].size())
    input = torch.randn(1, 1, 32, 32)
    out = net(input)
    net.zero_grad()
    out.backward(torch.randn(1, 10))

    output = net(input)
    target = torch.randn(10)
    target = target.view(1, -1)
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    print(loss.grad_fn.name())
    print(loss.grad_fn.next_functions[0][0].name())
    net.zero_grad()
    print(net.conv1.bias.grad)
    loss.backward()
    grad = net.conv1.bias.grad
    assert grad.shape == (6,) and np.abs(arr(grad)).sum() > 0

    learning_rate = 0.01
    before = arr(net.fc3.bias)
    fc3_grad = arr(net.fc3.bias.grad)
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    np.testing.assert_allclose(arr(net.fc3.bias), before - 0.01 * fc3_grad, rtol=1e-6)

    optimizer = optim.SGD(net.parameters(), lr=0.01)
    optimizer.zero_grad()
    output = net(input)
    loss2 = criterion(output, target)
    loss2.backward()
    optimizer.step()
    assert loss2.item() < loss.item()  # one step down the gradient lowers the loss

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Net(",
        "  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))",
        "  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))",
        "  (fc1): Linear(in_features=400, out_features=120, bias=True)",
        "  (fc2): Linear(in_features=120, out_features=84, bias=True)",
        "  (fc3): Linear(in_features=84, out_features=10, bias=True)",
        ")",
        "10",
        "autograd_course.Size([6, 1, 5, 5])",
        "MseLossBackward0",
        "AddmmBackward0",
        "None",
    ]


# ----- 60-minute blitz: Training a Classifier (digits for CIFAR-10, a LeNet for 8x8) -------------


def test_blitz_training_a_classifier_reaches_93_percent(capsys, digits):
    x_train, y_train, x_test, y_test = digits
    torch.manual_seed(0)
    trainset = TensorDataset(torch.from_numpy(x_train[:, None]), torch.from_numpy(y_train))
    testset = TensorDataset(torch.from_numpy(x_test[:, None]), torch.from_numpy(y_test))
    trainloader = DataLoader(trainset, batch_size=16, shuffle=True, num_workers=2)
    testloader = DataLoader(testset, batch_size=16, shuffle=False, num_workers=2)
    classes = tuple(str(d) for d in range(10))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 3, padding=1)
            self.fc1 = nn.Linear(16 * 2 * 2, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = torch.flatten(x, 1)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

    net = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

    for epoch in range(10):
        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            inputs, labels = data
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            if i % 40 == 39:
                print(f"[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 40:.3f}")
                running_loss = 0.0
    print("Finished Training")

    saved = net.state_dict()
    net = Net()
    net.load_state_dict(saved)

    correct = 0
    total = 0
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    print(f"Accuracy of the network on the {total} test images: {100 * correct // total} %")

    correct_pred = {classname: 0 for classname in classes}
    total_pred = {classname: 0 for classname in classes}
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)
            _, predictions = torch.max(outputs, 1)
            for label, prediction in zip(labels, predictions, strict=True):
                if label == prediction:
                    correct_pred[classes[label]] += 1
                total_pred[classes[label]] += 1
    for classname, correct_count in correct_pred.items():
        accuracy = 100 * float(correct_count) / total_pred[classname]
        print(f"Accuracy for class: {classname:5s} is {accuracy:.1f} %")

    out = capsys.readouterr().out.splitlines()
    # Recompute the test accuracy in NumPy from the loaded weights (an independent forward pass).
    w = [arr(p) for p in net.parameters()]

    def conv_relu_pool(x, k, b):
        xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
        out = np.zeros((len(x), len(k), 8 if x.shape[2] == 8 else 4, x.shape[3]))
        for i in range(out.shape[2]):
            for j in range(out.shape[3]):
                out[:, :, i, j] = np.einsum("nchw,ochw->no", xp[:, :, i : i + 3, j : j + 3], k) + b
        a = np.maximum(out, 0)
        n, c, h, wd = a.shape
        return a.reshape(n, c, h // 2, 2, wd // 2, 2).max((3, 5))

    h = conv_relu_pool(conv_relu_pool(x_test[:, None].astype(np.float64), w[0], w[1]), w[2], w[3])
    h = np.maximum(h.reshape(len(h), -1) @ w[4].T + w[5], 0)
    z = np.maximum(h @ w[6].T + w[7], 0) @ w[8].T + w[9]
    correct_np = int((z.argmax(1) == y_test).sum())
    assert (
        out[-11] == f"Accuracy of the network on the 297 test images: {100 * correct_np // 297} %"
    )
    assert correct_np / 297 >= 0.93  # the stated accuracy: a LeNet learns the digits
    per_class = [float(line.split(" is ")[1].rstrip(" %")) for line in out[-10:]]
    counts = np.bincount(y_test, minlength=10)
    hits = np.bincount(y_test[z.argmax(1) == y_test], minlength=10)
    np.testing.assert_allclose(per_class, np.round(100 * hits / counts, 1))
    assert out[0].startswith("[1,    40] loss: ") and "Finished Training" in out


# ----- Learning PyTorch with Examples: nn, optim, a custom Module ----------------------------------


def test_learning_pytorch_with_examples_nn_and_rmsprop(capsys):
    torch.manual_seed(0)
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    learning_rate = 1e-3
    optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate)
    for t in range(600):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            print(t, loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    linear_layer = model[0]
    print(
        f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
        f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3"
    )
    out = capsys.readouterr().out.splitlines()
    losses = [float(line.split()[1]) for line in out[:6]]
    assert [int(line.split()[0]) for line in out[:6]] == [99, 199, 299, 399, 499, 599]
    assert losses == sorted(losses, reverse=True)
    # The printed loss is the sum of squared errors of the printed polynomial (NumPy, float64).
    xs = np.linspace(-math.pi, math.pi, 2000)
    b, a1, a2, a3 = (float(v.split()[0]) for v in out[6].split(" = ")[1].split(" + "))
    final = ((b + a1 * xs + a2 * xs**2 + a3 * xs**3 - np.sin(xs)) ** 2).sum()
    assert final < losses[-1] * 1.05


def test_learning_pytorch_with_examples_custom_module(capsys):
    torch.manual_seed(0)

    class Polynomial3(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))

        def forward(self, x):
            return self.a + self.b * x + self.c * x**2 + self.d * x**3

        def string(self):
            return (
                f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + "
                f"{self.d.item()} x^3"
            )

    x = torch.linspace(-math.pi, math.pi, 200, dtype=torch.float64)
    y = torch.sin(x)
    model = Polynomial3().double()
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
    start = [float(p) for p in model.parameters()]
    for _t in range(300):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"Result: {model.string()}")

    # The same 300 steps of gradient descent, written out in NumPy.
    xs, ys = np.linspace(-math.pi, math.pi, 200), np.sin(np.linspace(-math.pi, math.pi, 200))
    a, b, c, d = start
    for _ in range(300):
        r = 2 * (a + b * xs + c * xs**2 + d * xs**3 - ys)
        a, b, c, d = (a - 1e-5 * r.sum(), b - 1e-5 * (r * xs).sum(), c - 1e-5 * (r * xs**2).sum(),
                      d - 1e-5 * (r * xs**3).sum())  # fmt: skip
    printed = capsys.readouterr().out.split("y = ")[1]
    values = [float(v.split()[0]) for v in printed.split(" + ")]
    np.testing.assert_allclose(values, [a, b, c, d], rtol=1e-9)


# ----- d2l: concise softmax regression and MLP ----------------------------------------------------


def test_d2l_concise_softmax_regression_and_mlp(digits):
    x_train, y_train, x_test, y_test = digits
    torch.manual_seed(0)
    train_iter = DataLoader(TensorDataset(torch.tensor(x_train), torch.tensor(y_train)),
                            batch_size=256, shuffle=True)  # fmt: skip
    test_x, test_y = torch.tensor(x_test), torch.tensor(y_test)

    def init_weights(m):
        if type(m) is nn.Linear:
            nn.init.normal_(m.weight, std=0.01)

    def accuracy(y_hat, y):
        if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
            y_hat = y_hat.argmax(1)
        cmp = y_hat.to(y.dtype) == y
        return float(cmp.to(y.dtype).sum())

    results = []
    for net in [
        nn.Sequential(nn.Flatten(), nn.Linear(64, 10)),
        nn.Sequential(nn.Flatten(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)),
    ]:
        net.apply(init_weights)
        loss = nn.CrossEntropyLoss(reduction="none")
        trainer = torch.optim.SGD(net.parameters(), lr=0.5)
        for _epoch in range(10):
            for X, y in train_iter:
                lo = loss(net(X), y)
                assert lo.shape == (len(y),)
                trainer.zero_grad()
                lo.mean().backward()
                trainer.step()
        with torch.no_grad():
            results.append(accuracy(net(test_x), test_y) / len(test_y))
            params = [arr(p) for p in net.parameters()]
        h = x_test.reshape(-1, 64)
        for k in range(0, len(params), 2):
            h = h @ params[k].T + params[k + 1]
            if k + 2 < len(params):
                h = np.maximum(h, 0)
        assert results[-1] == pytest.approx(np.mean(h.argmax(1) == y_test))
    assert results[0] > 0.8 and results[1] > 0.8
