using Nabla.Optim;
using SeedExperiment;
using TorchSharp;

namespace Nabla.Bench;

/// <summary>
/// The seed notebook's training step on its own model (<c>y = x * my_tensor + my_param</c>, 1-element tensors):
/// zero_grad, forward, squared error, backward, SGD with lr 1.0. Almost all of it is per-op overhead.
/// </summary>
internal static class SeedStepWorkload
{
    public static Workload Create() => new(Section.SmallOps, "seed step (forward, loss, backward, SGD)", () =>
    {
        Torch.ManualSeed(42);
        var model = new ExperimentModel();
        var data = Torch.Tensor(new[] { 1.0f });
        var target = Torch.Tensor(new[] { 0.0f });
        var nabla = new Contender(Library.Nabla, _ =>
        {
            var optimizer = new SGD(model.Parameters(), lr: 1.0);
            return new Step(() =>
            {
                optimizer.ZeroGrad();
                var loss = (model.Call(data) - target).Pow(2);
                loss.Backward();
                optimizer.Step();
            });
        });
        var torchSharp = new Contender(Library.TorchSharp, _ =>
        {
            // The same model as bare tensors: TorchSharp would register a plain tensor field, which is the seed's lesson.
            var myTensor = model.my_tensor.ToTorchSharp();
            var parameters = model.Parameters().Select(p => new TorchSharp.Modules.Parameter(p.ToTorchSharp())).ToArray();
            var myParam = parameters[0];
            var optimizer = torch.optim.SGD(parameters, 1.0);
            var (tData, tTarget) = (data.ToTorchSharp(), target.ToTorchSharp());
            return new Step(() =>
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                var loss = (tData * myTensor + myParam - tTarget).pow(2);
                loss.backward();
                optimizer.step();
            }, () => { optimizer.Dispose(); foreach (var p in parameters) p.Dispose(); myTensor.Dispose(); tData.Dispose(); tTarget.Dispose(); });
        });
        return new Contenders(nabla, torchSharp);
    });
}
