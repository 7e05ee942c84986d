using System.IO;

namespace Kissmetrics.Typed.Tool.Export;

/// <summary>
/// Progress lines of a long run (building a project, loading its assembly, writing files), on stderr so that stdout
/// stays the command's result.
/// </summary>
internal sealed class Progress(TextWriter error)
{
    public void Report(string message) => error.WriteLine("kissmetrics-typed: " + message);
}
