using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace Kissmetrics.Typed.DependencyInjection;

/// <summary>Validates <see cref="KissmetricsOptions"/> when the host starts, with the same rules as <see cref="KissmetricsOptions.Validate"/>.</summary>
internal sealed class KissmetricsOptionsValidator : IValidateOptions<KissmetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, KissmetricsOptions options)
    {
        List<string> problems = options.GetProblems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
