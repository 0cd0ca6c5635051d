using Nabla.NN;

namespace Nabla.Cli;

/// <summary>The models <c>nabla train --model</c> builds for 8×8 digit images (input <c>[N, 1, 8, 8]</c>, ten logits out).</summary>
public static class DigitsModels
{
    /// <summary>The names <c>--model</c> accepts.</summary>
    public static readonly string[] Names = ["mlp", "cnn"];

    /// <summary>A freshly initialised model, its weights drawn from the default generator as PyTorch's layers draw them.</summary>
    public static Module Create(string name) => name switch
    {
        // 64 -> 128 -> 10.
        "mlp" => new Sequential(new Flatten(), new Linear(64, 128), new ReLU(), new Linear(128, 10)),
        // Two 3x3 convolutions with batch norm, each halving the image: 8x8 -> 4x4 -> 2x2, then 64 * 2 * 2 features to ten logits.
        "cnn" => new Sequential(
            new Conv2d(1, 32, 3, padding: 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 3, padding: 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(256, 10)),
        _ => throw new ArgumentException($"Unknown model '{name}': use {string.Join(" or ", Names)}."),
    };
}
