using SeedExperiment;

Console.OutputEncoding = System.Text.Encoding.UTF8;
// Section 6 (ONNX export and inspection) plugs in here once the exporter lands.
SeedNotebook.Run(Console.Out);
