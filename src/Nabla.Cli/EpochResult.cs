namespace Nabla.Cli;

/// <summary>One epoch's figures: mean training loss and accuracy over the epoch, test loss and accuracy after it.</summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    TimeSpan Elapsed, double SamplesPerSecond);
