using System.Text.Json;
using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>The problem and optimizer configs of goldens/optim.json (tests/goldens/gen_optim.py), built the same way in C#.</summary>
public static class OptimGoldens
{
    public static JsonElement Root => Goldens.Load("optim");

    /// <summary>Every config, by the Python expression that built it in gen_optim.py; ps = [w1, b1, w2, b2].</summary>
    public static readonly Dictionary<string, Func<Tensor[], Optimizer>> Configs = new()
    {
        ["SGD(lr=0.1)"] = ps => new SGD(ps, lr: 0.1),
        ["SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)"] = ps => new SGD(ps, lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        ["SGD(lr=0.05, momentum=0.9, dampening=0.1, maximize=True)"] = ps => new SGD(ps, lr: 0.05, momentum: 0.9, dampening: 0.1, maximize: true),
        ["SGD(groups(momentum=0.9), lr=0.05)"] = ps => new SGD(
            new ParamGroup[] { new(ps[..2]) { Lr = 0.01 }, new(ps[2..]) { Lr = 0.1, ["momentum"] = 0.9 } }, lr: 0.05),
        ["Adam()"] = ps => new Adam(ps),
        ["Adam(weight_decay=0.01, amsgrad=True)"] = ps => new Adam(ps, weightDecay: 0.01, amsgrad: true),
        ["Adam(lr=0.01, betas=(0.8, 0.99), eps=1e-06, maximize=True)"] = ps => new Adam(ps, lr: 0.01, betas: (0.8, 0.99), eps: 1e-6, maximize: true),
        ["Adam(groups(betas=(0.5, 0.9)))"] = ps => new Adam(
            new ParamGroup[] { new(ps[..2]) { Lr = 0.01 }, new(ps[2..]) { Lr = 0.1, ["betas"] = (0.5, 0.9) } }),
        ["AdamW()"] = ps => new AdamW(ps),
        ["AdamW(weight_decay=0.1, amsgrad=True)"] = ps => new AdamW(ps, weightDecay: 0.1, amsgrad: true),
        ["AdamW(lr=0.01, maximize=True)"] = ps => new AdamW(ps, lr: 0.01, maximize: true),
        ["RMSprop()"] = ps => new RMSprop(ps),
        ["RMSprop(momentum=0.9, centered=True)"] = ps => new RMSprop(ps, momentum: 0.9, centered: true),
        ["RMSprop(alpha=0.9, weight_decay=0.1, maximize=True)"] = ps => new RMSprop(ps, alpha: 0.9, weightDecay: 0.1, maximize: true),
        ["Adagrad()"] = ps => new Adagrad(ps),
        ["Adagrad(lr_decay=0.01, initial_accumulator_value=0.1)"] = ps => new Adagrad(ps, lrDecay: 0.01, initialAccumulatorValue: 0.1),
        ["Adagrad(weight_decay=0.1, eps=1e-06, maximize=True)"] = ps => new Adagrad(ps, weightDecay: 0.1, eps: 1e-6, maximize: true),
        ["Adadelta()"] = ps => new Adadelta(ps),
        ["Adadelta(rho=0.8, weight_decay=0.1)"] = ps => new Adadelta(ps, rho: 0.8, weightDecay: 0.1),
        ["Adadelta(lr=0.5, maximize=True)"] = ps => new Adadelta(ps, lr: 0.5, maximize: true),
        ["Adamax()"] = ps => new Adamax(ps),
        ["Adamax(betas=(0.8, 0.9), weight_decay=0.1)"] = ps => new Adamax(ps, betas: (0.8, 0.9), weightDecay: 0.1),
        ["Adamax(lr=0.01, maximize=True)"] = ps => new Adamax(ps, lr: 0.01, maximize: true),
        ["NAdam()"] = ps => new NAdam(ps),
        ["NAdam(weight_decay=0.1, momentum_decay=0.01)"] = ps => new NAdam(ps, weightDecay: 0.1, momentumDecay: 0.01),
        ["NAdam(lr=0.01, betas=(0.8, 0.99))"] = ps => new NAdam(ps, lr: 0.01, betas: (0.8, 0.99)),
        ["RAdam()"] = ps => new RAdam(ps),
        ["RAdam(weight_decay=0.1)"] = ps => new RAdam(ps, weightDecay: 0.1),
        ["RAdam(lr=0.01, betas=(0.5, 0.9))"] = ps => new RAdam(ps, lr: 0.01, betas: (0.5, 0.9)),
    };

    public static IEnumerable<object[]> Names() => Root.GetProperty("optimizers").EnumerateArray().Select(o => new object[] { o.GetProperty("name").GetString()! });

    public static JsonElement Run(string name) => Root.GetProperty("optimizers").EnumerateArray().First(o => o.GetProperty("name").GetString() == name);

    public static int Mid => Root.GetProperty("problem").GetProperty("mid").GetInt32();

    /// <summary>Fresh leaf parameters holding the golden initial values.</summary>
    public static Tensor[] InitialParams() => Root.GetProperty("problem").GetProperty("params").EnumerateArray()
        .Select(p => Goldens.Tensor(p).RequiresGrad_()).ToArray();

    /// <summary>PyTorch's parameters after step <paramref name="step"/> (0-based).</summary>
    public static Tensor[] ParamsAfter(JsonElement run, int step) => Tensors(run.GetProperty("steps")[step].GetProperty("params"));

    /// <summary>The gradients PyTorch computed before step <paramref name="step"/>.</summary>
    public static Tensor[] GradsAt(JsonElement run, int step) => Tensors(run.GetProperty("steps")[step].GetProperty("grads"));

    /// <summary>The problem's loss, with the same ops as gen_optim.py: mean((tanh(x w1ᵀ + b1) w2ᵀ + b2 - y)²).</summary>
    public static Tensor Loss(Tensor[] ps)
    {
        var problem = Root.GetProperty("problem");
        var x = Goldens.Tensor(problem.GetProperty("x"));
        var y = Goldens.Tensor(problem.GetProperty("y"));
        var h = (x.Matmul(ps[0].T()) + ps[1]).Tanh();
        var output = h.Matmul(ps[2].T()) + ps[3];
        return (output - y).Pow(2).Mean();
    }

    private static Tensor[] Tensors(JsonElement list) => list.EnumerateArray().Select(Goldens.Tensor).ToArray();
}
