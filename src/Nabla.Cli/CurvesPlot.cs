using ScottPlot;

namespace Nabla.Cli;

/// <summary>Loss and accuracy per epoch drawn with ScottPlot: losses on the left axis, accuracies (%) on the right.</summary>
public static class CurvesPlot
{
    /// <summary>Saves the curves of <paramref name="history"/> to <paramref name="path"/>: SVG for <c>.svg</c>, PNG otherwise.</summary>
    public static void Save(IReadOnlyList<EpochResult> history, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        var plot = new Plot();
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        // Solid lines only: Skia's SVG writer cannot draw dash patterns.
        Line(plot, epochs, history.Select(h => h.TrainLoss), "train loss", Colors.RoyalBlue, plot.Axes.Left, MarkerShape.FilledCircle);
        Line(plot, epochs, history.Select(h => h.TestLoss), "test loss", Colors.LightSkyBlue, plot.Axes.Left, MarkerShape.FilledSquare);
        Line(plot, epochs, history.Select(h => h.TrainAccuracy * 100), "train accuracy", Colors.OrangeRed, plot.Axes.Right, MarkerShape.FilledCircle);
        Line(plot, epochs, history.Select(h => h.TestAccuracy * 100), "test accuracy", Colors.Orange, plot.Axes.Right, MarkerShape.FilledSquare);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(Math.Max(1, history.Count / 10));
        plot.Axes.Left.Label.Text = "cross-entropy loss";
        plot.Axes.Right.Label.Text = "accuracy (%)";
        plot.ShowLegend(Alignment.MiddleRight);
        AtomicFile.Write(path, temp =>
        {
            if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase)) plot.SaveSvg(temp, 800, 450);
            else plot.SavePng(temp, 800, 450);
        });
    }

    private static void Line(Plot plot, double[] xs, IEnumerable<double> ys, string label, Color color, IYAxis axis, MarkerShape marker)
    {
        var line = plot.Add.Scatter(xs, ys.ToArray(), color);
        line.LegendText = label;
        line.MarkerShape = marker;
        line.MarkerSize = 7;
        line.LineWidth = 2;
        line.Axes.YAxis = axis;
    }
}
