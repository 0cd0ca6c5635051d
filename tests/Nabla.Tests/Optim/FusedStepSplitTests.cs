using Nabla.Optim.Fused;
using Nabla.Tests.Kernels;
using Xunit;

namespace Nabla.Tests.Optim;

/// <summary>
/// A parameter large enough for its fused pass to be split between threads gets the tensor-op rule's bits with one
/// thread or two, on every optimizer config the fused-step tests cover.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public class FusedStepSplitTests
{
    private const int Steps = 3;

    // The first has 70161 elements: two chunks on two threads, then a tail. Four parameters, because the configs with
    // two parameter groups put the first two in one group and the rest in the other.
    private static readonly long[][] Shapes = [[257, 273], [7], [33], [1]];

    [Theory]
    [MemberData(nameof(FusedStepTests.Cases), MemberType = typeof(FusedStepTests))]
    public void ALargeParameterGetsTheTensorOpRulesBitsWithOneThreadOrTwo(string name, DType dtype)
    {
        ThreadCountCollection.ForEachThreadCount(() =>
        {
            var generator = new Generator().ManualSeed(99);
            var initial = Shapes.Select(s => Torch.Randn(s, dtype, generator: generator)).ToArray();
            var fusedParams = initial.Select(t => t.Clone().RequiresGrad_()).ToArray();
            var referenceParams = initial.Select(t => t.Clone().RequiresGrad_()).ToArray();
            var fused = FusedStepTests.Config(name)(fusedParams);
            var reference = FusedStepTests.Config(name)(referenceParams);
            for (int k = 0; k < Steps; k++)
            {
                for (int i = 0; i < Shapes.Length; i++)
                {
                    var grad = FusedStepTests.Gradient(Shapes[i], dtype, generator);
                    fusedParams[i].Grad = grad.Clone();
                    referenceParams[i].Grad = grad.Clone();
                }
                fused.Step();
                FusedStep.ReferenceOnly = true;
                try { reference.Step(); }
                finally { FusedStep.ReferenceOnly = false; }
                for (int i = 0; i < Shapes.Length; i++)
                {
                    string where = $"{name} {dtype} {Torch.GetNumThreads()} thread(s) param {i} step {k + 1}";
                    FusedStepTests.AssertBitIdentical(referenceParams[i], fusedParams[i], where);
                    FusedStepTests.AssertSameState(reference.State[referenceParams[i]], fused.State[fusedParams[i]], where);
                }
            }
        });
    }
}
