using System.Diagnostics;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using F = Nabla.NN.Functional;

namespace Nabla.Cli;

/// <summary>
/// A training run on the bundled digits: seed, an 80/20 <c>random_split</c>, a model, an optimizer and a shuffling loader,
/// in that order from the default generator, so that a seed fixes every printed figure.
/// </summary>
public sealed class DigitsTraining
{
    private readonly DataLoader<(Tensor, Tensor)> _loader;

    /// <summary>Seeds the default generator and builds the split, the model and the optimizer.</summary>
    public DigitsTraining(TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Torch.ManualSeed(options.Seed);
        var digits = Digits.Load();
        var (train, test) = Dataset.RandomSplit(digits, [0.8, 0.2]);
        // Pixels standardised with the training split's mean and standard deviation (as transforms.Normalize does).
        var trainImages = Collate.Default(Samples(train)).Item1;
        (Mean, Std) = (trainImages.Mean().Item<float>(), trainImages.Std().Item<float>());
        var standardised = new TensorDataset((digits.Inputs - Mean) / Std, digits.Targets);
        Train = new Subset<(Tensor, Tensor)>(standardised, train.Indices);
        (TestImages, TestLabels) = Collate.Default(Samples(new Subset<(Tensor, Tensor)>(standardised, test.Indices)));
        Model = DigitsModels.Create(options.Model);
        Optimizer = options.Optimizer switch
        {
            "sgd" => new SGD(Model.Parameters(), lr: options.Lr, momentum: 0.9),
            "adam" => new Adam(Model.Parameters(), lr: options.Lr),
            _ => throw new ArgumentException($"Unknown optimizer '{options.Optimizer}': use sgd or adam."),
        };
        _loader = new DataLoader<(Tensor, Tensor)>(Train, batchSize: options.BatchSize, shuffle: true);
    }

    /// <summary>The run's settings.</summary>
    public TrainOptions Options { get; }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }

    /// <summary>The optimizer stepping it.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The training split.</summary>
    public Subset<(Tensor, Tensor)> Train { get; }

    /// <summary>The training pixels' mean, subtracted from every image.</summary>
    public float Mean { get; }

    /// <summary>The training pixels' standard deviation, dividing every image.</summary>
    public float Std { get; }

    /// <summary>The held-out images, standardised, <c>[N, 1, 8, 8]</c>.</summary>
    public Tensor TestImages { get; }

    /// <summary>The held-out labels, <c>[N]</c>.</summary>
    public Tensor TestLabels { get; }

    /// <summary>Steps per epoch.</summary>
    public int StepsPerEpoch => _loader.Count;

    /// <summary>
    /// One pass over the training split; <paramref name="progress"/> hears after each step how many steps are done and the
    /// running loss, accuracy and samples per second. Stops between steps when <paramref name="cancel"/> is signalled.
    /// </summary>
    public EpochResult RunEpoch(int epoch, Action<int, double, double, double>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        Model.Train();
        double lossSum = 0;
        long correct = 0, seen = 0;
        int step = 0;
        foreach (var (images, labels) in _loader)
        {
            cancel.ThrowIfCancellationRequested();
            var logits = Model.Call(images);
            var loss = F.CrossEntropy(logits, labels);
            Optimizer.ZeroGrad();
            loss.Backward();
            Optimizer.Step();
            long n = labels.Shape[0];
            lossSum += loss.Item<float>() * n;
            correct += Correct(logits, labels);
            seen += n;
            progress?.Invoke(++step, lossSum / seen, (double)correct / seen, seen / clock.Elapsed.TotalSeconds);
        }
        var (testLoss, testAccuracy, _) = Evaluate();
        return new EpochResult(epoch, lossSum / seen, (double)correct / seen, testLoss, testAccuracy, clock.Elapsed, seen / clock.Elapsed.TotalSeconds);
    }

    /// <summary>The model (in eval mode) on the held-out split: mean loss, accuracy and the logits.</summary>
    public (double Loss, double Accuracy, Tensor Logits) Evaluate()
    {
        Model.Eval();
        using (Torch.NoGrad())
        {
            var logits = Model.Call(TestImages);
            double loss = F.CrossEntropy(logits, TestLabels).Item<float>();
            return (loss, (double)Correct(logits, TestLabels) / TestLabels.Shape[0], logits);
        }
    }

    private static (Tensor, Tensor)[] Samples(Dataset<(Tensor, Tensor)> data) => Enumerable.Range(0, data.Count).Select(i => data[i]).ToArray();

    private static long Correct(Tensor logits, Tensor labels)
    {
        var predicted = logits.Argmax(1).ToArray<long>();
        var truth = labels.ToArray<long>();
        long correct = 0;
        for (int i = 0; i < truth.Length; i++) if (predicted[i] == truth[i]) correct++;
        return correct;
    }
}
