using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

/// <summary>Text and set-ups shared by the diagnostic tests.</summary>
internal static class Sources
{
    /// <summary>The usings every test source starts with (then a file-scoped namespace).</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using Kissmetrics.Typed;

        namespace Shop;


        """;

    /// <summary>Runs <typeparamref name="TAnalyzer"/> with the project's <c>KissmetricsNamingPolicy</c> set to <paramref name="policy"/>.</summary>
    public static Task VerifyWithPolicyAsync<TAnalyzer>(string source, string policy, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new OfflineAnalyzerTest<TAnalyzer> { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.KissmetricsNamingPolicy = " + policy + "\n"));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
