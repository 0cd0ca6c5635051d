namespace Nabla.Cli;

/// <summary>What <c>nabla train</c> was asked for.</summary>
/// <param name="Model"><c>mlp</c> or <c>cnn</c>.</param>
/// <param name="Epochs">Passes over the training split.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Lr">Learning rate.</param>
/// <param name="Optimizer"><c>sgd</c> (momentum 0.9) or <c>adam</c>.</param>
/// <param name="Seed">Seeds the default generator: the split, the initial weights and the shuffles.</param>
/// <param name="Out">Checkpoint to write (<c>.safetensors</c>, <c>.pt</c> or <c>.pth</c>), or null.</param>
/// <param name="Onnx">ONNX file to write and check in ONNX Runtime, or null.</param>
/// <param name="Plot">Loss and accuracy curves to draw (<c>.png</c> or <c>.svg</c>), or null.</param>
public sealed record TrainOptions(string Model, int Epochs, int BatchSize, double Lr, string Optimizer, long Seed,
    string? Out, string? Onnx, string? Plot);
