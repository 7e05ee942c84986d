using System.Reflection;

namespace Kissmetrics.Typed.Generator.Emitting;

/// <summary>
/// The <c>[GeneratedCode]</c> attribute every generated member carries, naming the generator and its version. The
/// version is this assembly's own (the build stamps the package <c>Version</c> into it, as into the runtime), so a
/// stack trace or a code-coverage filter tells which release of the package wrote the code. Snapshot tests scrub it,
/// so a release does not change every snapshot.
/// </summary>
internal static class GeneratedCodeStamp
{
    /// <summary>The tool name of the attribute.</summary>
    public const string Tool = "Kissmetrics.Typed.Generator";

    /// <summary>
    /// The package version: the informational version without its <c>+build</c> metadata (Source Link appends the
    /// commit there, which would make the output change with every commit), else the assembly version.
    /// </summary>
    public static string Version { get; } = Read();

    /// <summary>The attribute, as written before a generated member.</summary>
    public static string Attribute { get; } = "[global::System.CodeDom.Compiler.GeneratedCode(\"" + Tool + "\", \"" + Version + "\")]";

    private static string Read()
    {
        Assembly assembly = typeof(GeneratedCodeStamp).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrWhiteSpace(informational))
        {
            int metadata = informational!.IndexOf('+');
            return metadata < 0 ? informational : informational.Substring(0, metadata);
        }

        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
