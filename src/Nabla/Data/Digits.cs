using System.Globalization;
using System.IO.Compression;

namespace Nabla.Data;

/// <summary>
/// The UCI optical-recognition handwritten digits, as scikit-learn ships them (<c>sklearn.datasets.load_digits()</c>):
/// 1,797 grey images of 8×8 pixels, each pixel a count 0..16, labelled 0..9. Bundled in the assembly, so loading needs
/// no network; provenance and licence are in <c>Data/Digits/README.md</c> of the source tree.
/// </summary>
public static class Digits
{
    /// <summary>The number of images.</summary>
    public const int Count = 1797;

    private const string Resource = "Nabla.Data.Digits.digits.csv.gz";

    /// <summary>
    /// The images as float32 <c>[1797, 1, 8, 8]</c> scaled to [0, 1] (count / 16) and the labels as int64 <c>[1797]</c>,
    /// in the file's order.
    /// </summary>
    public static TensorDataset Load()
    {
        var (pixels, labels) = ReadCsv();
        var images = Tensor.FromArray(pixels.Select(p => p / 16f).ToArray(), [Count, 1, 8, 8]);
        return new TensorDataset(images, Tensor.FromArray(labels, [Count]));
    }

    /// <summary>The raw rows: 64 pixel counts per image, then its label.</summary>
    private static (byte[] Pixels, long[] Labels) ReadCsv()
    {
        using var stream = typeof(Digits).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The digits data ({Resource}) is missing from the assembly.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var pixels = new byte[Count * 64];
        var labels = new long[Count];
        for (int row = 0; row < Count; row++)
        {
            var fields = (reader.ReadLine() ?? throw new InvalidDataException($"The digits data ends at row {row}.")).Split(',');
            if (fields.Length != 65) throw new InvalidDataException($"Row {row} of the digits data has {fields.Length} fields, not 65.");
            for (int i = 0; i < 64; i++) pixels[row * 64 + i] = byte.Parse(fields[i], CultureInfo.InvariantCulture);
            labels[row] = long.Parse(fields[64], CultureInfo.InvariantCulture);
        }
        return (pixels, labels);
    }
}
