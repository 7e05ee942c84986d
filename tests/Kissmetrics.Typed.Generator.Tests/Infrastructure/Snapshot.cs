using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Kissmetrics.Typed.Generator.Emitting;

namespace Kissmetrics.Typed.Generator.Tests.Infrastructure;

/// <summary>
/// Compares generated text with a checked-in file <c>Snapshots/&lt;TestName&gt;/&lt;HintName&gt;</c> in this project's
/// source folder (found through the calling test's <see cref="CallerFilePathAttribute"/>, never the bin folder), line
/// endings normalised to <c>\n</c>. With <c>UPDATE_SNAPSHOTS=1</c> the file is (re)written and the check passes: review
/// the change with <c>git diff</c>. A missing file without <c>UPDATE_SNAPSHOTS=1</c> fails.
/// </summary>
public static class Snapshot
{
    /// <summary>The environment variable that makes a run (re)write the snapshots.</summary>
    public const string UpdateVariable = "UPDATE_SNAPSHOTS";

    /// <summary>What the generator's version becomes in a snapshot (<see cref="Scrub"/>).</summary>
    public const string VersionPlaceholder = "{GeneratorVersion}";

    private const string ProjectFileName = "Kissmetrics.Typed.Generator.Tests.csproj";

    // Snapshot folder -> the test that claimed it, so two test classes with a same-named method cannot share one.
    private static readonly ConcurrentDictionary<string, string> Owners = new(StringComparer.Ordinal);

    /// <summary>Whether this run rewrites snapshots (<c>UPDATE_SNAPSHOTS=1</c> or <c>true</c>).</summary>
    public static bool UpdateRequested =>
        Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true" or "TRUE" or "True";

    /// <summary>Checks <paramref name="actual"/> against <c>Snapshots/&lt;testName&gt;/&lt;hintName&gt;</c>.</summary>
    /// <param name="actual">The generated text.</param>
    /// <param name="hintName">The file name under the test's snapshot folder, normally the generator's hint name.</param>
    /// <param name="testName">The snapshot folder; the calling method's name unless given (give one per case in a theory).</param>
    /// <param name="callerFilePath">Filled in by the compiler: locates the project's source folder.</param>
    public static void Match(
        string actual,
        string hintName,
        [CallerMemberName] string testName = "",
        [CallerFilePath] string callerFilePath = "")
    {
        string path = PathFor(hintName, testName, callerFilePath);
        Claim(Path.GetDirectoryName(path)!, $"{callerFilePath}:{testName}");
        Verify(Scrub(actual), path, UpdateRequested);
    }

    /// <summary>Checks the source generated under <paramref name="hintName"/> against its snapshot.</summary>
    public static void Match(
        GeneratorRun run,
        string hintName,
        [CallerMemberName] string testName = "",
        [CallerFilePath] string callerFilePath = "")
    {
        ArgumentNullException.ThrowIfNull(run);
        Match(run.Source(hintName), hintName, testName, callerFilePath);
    }

    /// <summary>
    /// Checks every generated source against <c>Snapshots/&lt;testName&gt;/</c>, and that the folder holds no file the
    /// run did not generate (with <c>UPDATE_SNAPSHOTS=1</c> such stale files are deleted).
    /// </summary>
    public static void MatchAll(
        GeneratorRun run,
        [CallerMemberName] string testName = "",
        [CallerFilePath] string callerFilePath = "")
    {
        ArgumentNullException.ThrowIfNull(run);
        Assert.False(run.GeneratedSources.IsEmpty, "The generator produced no source to compare with a snapshot.");
        foreach (GeneratedSource source in run.GeneratedSources)
        {
            Match(source.Text, source.HintName, testName, callerFilePath);
        }

        string folder = Path.GetDirectoryName(PathFor("x", testName, callerFilePath))!;
        string[] stale = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !run.GeneratedSources.Any(s => s.HintName.Replace('\\', '/') == f))
            .ToArray();
        if (stale.Length == 0)
        {
            return;
        }

        if (UpdateRequested)
        {
            foreach (string file in stale)
            {
                File.Delete(Path.Combine(folder, file));
            }
        }
        else
        {
            Assert.Fail($"Snapshot folder {folder} holds files the generator no longer produces: {string.Join(", ", stale)}. "
                + $"Run with {UpdateVariable}=1 to delete them.");
        }
    }

    /// <summary>The snapshot file for a test and hint name, under the project folder found from <paramref name="callerFilePath"/>.</summary>
    public static string PathFor(string hintName, string testName, string callerFilePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(hintName);
        ArgumentException.ThrowIfNullOrEmpty(testName);
        return Path.Combine(ProjectDirectory(callerFilePath), "Snapshots", testName, hintName);
    }

    /// <summary>The compare-or-update core: <paramref name="update"/> writes <paramref name="actual"/> to <paramref name="path"/>.</summary>
    public static void Verify(string actual, string path, bool update)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string normalised = Normalise(actual);
        if (update)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || Normalise(File.ReadAllText(path)) != normalised)
            {
                File.WriteAllText(path, normalised, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }

            return;
        }

        if (!File.Exists(path))
        {
            Assert.Fail($"Snapshot {path} does not exist. Create it with `{UpdateVariable}=1 dotnet test "
                + "tests/Kissmetrics.Typed.Generator.Tests`, review it with `git diff`/`git status`, and commit it."
                + $"{Environment.NewLine}Actual text:{Environment.NewLine}{normalised}");
        }

        string expected = Normalise(File.ReadAllText(path));
        if (expected != normalised)
        {
            Assert.Fail($"Generated text differs from snapshot {path}.{Environment.NewLine}"
                + Difference(expected, normalised)
                + $"{Environment.NewLine}If the change is intended, run with {UpdateVariable}=1 and review it with `git diff`."
                + $"{Environment.NewLine}Actual text:{Environment.NewLine}{normalised}");
        }
    }

    /// <summary>
    /// The generator's version in <c>[GeneratedCode]</c> replaced by <see cref="VersionPlaceholder"/>: the stamp comes from
    /// the generator assembly (the package version), and a release must not rewrite every snapshot.
    /// </summary>
    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace(
            "GeneratedCode(\"Kissmetrics.Typed.Generator\", \"" + GeneratedCodeStamp.Version + "\")",
            "GeneratedCode(\"Kissmetrics.Typed.Generator\", \"" + VersionPlaceholder + "\")",
            StringComparison.Ordinal);
    }

    /// <summary><c>\r\n</c> and <c>\r</c> to <c>\n</c>.</summary>
    public static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string Difference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        int max = Math.Max(e.Length, a.Length);
        for (int i = 0; i < max; i++)
        {
            string? left = i < e.Length ? e[i] : null;
            string? right = i < a.Length ? a[i] : null;
            if (left != right)
            {
                return $"First difference at line {i + 1}:{Environment.NewLine}"
                    + $"  expected: {Show(left)}{Environment.NewLine}"
                    + $"  actual:   {Show(right)}";
            }
        }

        return "(texts differ only in encoding)";

        static string Show(string? line) => line is null ? "<end of text>" : "\"" + line + "\"";
    }

    private static void Claim(string folder, string owner)
    {
        string existing = Owners.GetOrAdd(folder, owner);
        if (existing != owner)
        {
            Assert.Fail($"Snapshot folder {folder} is used by two tests ({existing} and {owner}): pass a distinct testName.");
        }
    }

    private static string ProjectDirectory(string callerFilePath)
    {
        if (string.IsNullOrEmpty(callerFilePath) || !Path.IsPathRooted(callerFilePath))
        {
            throw new InvalidOperationException(
                $"Snapshot needs the test's source path ([CallerFilePath]), got '{callerFilePath}'. Is PathMap/deterministic source path rewriting on?");
        }

        for (string? dir = Path.GetDirectoryName(callerFilePath); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, ProjectFileName)))
            {
                return dir;
            }
        }

        throw new InvalidOperationException($"No {ProjectFileName} above {callerFilePath}: snapshots are read from the source tree.");
    }
}
