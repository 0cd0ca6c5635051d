using SeedExperiment;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>The seed notebook ported to C# (samples/SeedExperiment) prints what PyTorch printed (goldens/seed_notebook.txt, from gen_seed.py).</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class SeedNotebookTests
{
    // The one line that names a runtime type: Python's class of nn.Parameter against ours.
    private const string PythonParameterType = "<class 'torch.nn.parameter.Parameter'>";
    private const string NablaParameterType = "<class 'Nabla.NN.Parameter'>";

    [Fact]
    public void NotebookOutputMatchesPyTorchLineByLine()
    {
        // Section 6 writes the ONNX file into the temp folder of the machine it runs on (<TEMP> in the golden).
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "goldens", "seed_notebook.txt"))
            .Replace(PythonParameterType, NablaParameterType)
            .Replace("<TEMP>/experiment_model.onnx", Path.Combine(Path.GetTempPath(), "experiment_model.onnx")).Split('\n');
        var writer = new StringWriter { NewLine = "\n" };
        SeedNotebook.Run(writer, OnnxSection.Run);
        var actual = writer.ToString().Split('\n');
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
            Assert.True(expected[i] == actual[i], $"line {i + 1}: expected\n  {expected[i]}\nbut got\n  {actual[i]}");
        Assert.Equal(expected.Length, actual.Length);
    }

    [Fact]
    public void OnlyParametersMoveInTheTrainingStep()
    {
        var writer = new StringWriter();
        var model = SeedNotebook.Run(writer);
        Assert.Null(model.my_tensor.Grad);
        Assert.NotNull(model.my_param.Grad);
        Assert.Equal(["my_param", "my_registered_param"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["my_param", "my_registered_param", "my_buffer"], model.StateDict().Keys);
        Assert.Equal(["my_buffer", "my_state"], model.NamedBuffers().Select(b => b.Name));
    }
}
