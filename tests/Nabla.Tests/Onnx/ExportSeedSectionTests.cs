using SeedExperiment;
using Xunit;

namespace Nabla.Tests.Onnx;

/// <summary>The seed sample's section 6 prints what tests/goldens/seed_notebook.txt (gen_seed.py) holds for it.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class ExportSeedSectionTests
{
    [Fact]
    public void SectionSixPrintsTheNotebooksExportListing()
    {
        var golden = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "goldens", "seed_notebook.txt")).Split('\n');
        int start = Array.IndexOf(golden, "=== ONNX 导出分析 ===");
        int end = Array.IndexOf(golden, "自定义线性层的参数:");
        Assert.True(start >= 0 && end > start, "seed_notebook.txt has no section 6; run tests/goldens/gen_seed.py");
        var expected = golden[start..end];

        var output = new StringWriter();
        SeedNotebook.Run(TextWriter.Null, (model, _) => OnnxSection.Run(model, output));
        var actual = output.ToString().Split('\n')[..^1];

        // The sample writes into the temp folder of the machine it runs on (<TEMP> in the golden).
        var path = Path.Combine(Path.GetTempPath(), "experiment_model.onnx");
        Assert.Equal(expected.Select(l => l.Replace("<TEMP>/experiment_model.onnx", path)), actual);
    }
}
