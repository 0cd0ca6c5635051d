using System.Runtime.CompilerServices;
using Nabla.Memory;
using F = Nabla.NN.Functional;

namespace Nabla;

/// <summary>
/// Compiles the training path before its first use. Most of a fresh process's first training step is the JIT compiling
/// the library's methods (the packed GEMM kernels alone take tens of milliseconds). When the first module is built, a
/// background thread runs a tiny training step (linear, ReLU, convolution, pooling, cross-entropy, backward, SGD and Adam
/// steps) on private tensors, so those methods are compiled on another core while the caller initialises its model.
/// </summary>
/// <remarks>
/// It shares nothing a caller sees: no generator is drawn from, every tensor is below <see cref="BufferPool.MinPooledBytes"/>
/// (so the pool's lists and statistics are untouched) and the pool's safe points are off on its thread; grad mode,
/// inference mode and tracing are per thread. It does not run under Native AOT (nothing to compile), on one core, or
/// when the environment variable <c>NABLA_WARMUP</c> is <c>0</c>.
/// </remarks>
internal static class Warmup
{
    private static int s_started;

    /// <summary>The warm-up thread, once started (tests wait for it).</summary>
    internal static Thread? Thread { get; private set; }

    /// <summary>What ended the warm-up early, if anything (tests check it is null).</summary>
    internal static Exception? Failure { get; private set; }

    /// <summary>Starts the warm-up once per process.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref s_started, 1) != 0) return;
        if (Environment.ProcessorCount < 2 || !RuntimeFeature.IsDynamicCodeCompiled) return;
        if (Environment.GetEnvironmentVariable("NABLA_WARMUP") == "0") return;
        Thread = new Thread(Run) { IsBackground = true, Name = "Nabla warm-up" };
        Thread.Start();
    }

    private static void Run()
    {
        BufferPool.SuspendSafePoints();
        try
        {
            TrainingStep();
        }
        catch (Exception e)
        {
            Failure = e;
            // Best effort by design: a failure here only means the caller's own first step compiles these methods;
            // letting it escape would end the process from a thread the caller never asked for.
        }
    }

    // Shapes above the GEMM's direct-loop size (so the packed kernels and their packing routines compile), below the pool's.
    // The multilayer perceptron's path first: it is what most first steps run.
    internal static void TrainingStep()
    {
        var x = Torch.Full([4, 48], 0.5);
        var w1 = Torch.Full([16, 48], 0.01).RequiresGrad_();
        var b1 = Torch.Zeros(16).RequiresGrad_();
        var w2 = Torch.Full([10, 16], 0.02).RequiresGrad_();
        var b2 = Torch.Zeros(10).RequiresGrad_();
        var logits = F.Linear(F.Relu(F.Linear(x, w1, b1)), w2, b2);
        F.CrossEntropy(logits, Torch.Zeros([4], DType.Int64)).Backward();
        Tensor[] parameters = [w1, b1, w2, b2];
        new Optim.SGD(parameters, lr: 0.01, momentum: 0.9).Step();
        new Optim.Adam(parameters).Step();
        using (Torch.NoGrad()) F.Linear(x, w1, b1).Relu();

        var image = Torch.Full([2, 1, 8, 8], 0.5);
        var kernel = Torch.Full([4, 1, 3, 3], 0.1).RequiresGrad_();
        var features = F.MaxPool2d(F.Relu(F.Conv2d(image, kernel, Torch.Zeros(4).RequiresGrad_(), padding: 1)), 2).Flatten(1);
        F.CrossEntropy(F.Linear(features, Torch.Full([10, 64], 0.01).RequiresGrad_()), Torch.Zeros([2], DType.Int64)).Backward();
    }
}
