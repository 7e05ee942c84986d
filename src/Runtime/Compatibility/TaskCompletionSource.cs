#if !NET
using Microsoft.CodeAnalysis;

namespace System.Threading.Tasks;

/// <summary>
/// The non-generic <c>TaskCompletionSource</c> of .NET 5+, which netstandard2.0 lacks: a
/// <see cref="TaskCompletionSource{TResult}"/> whose result nobody reads. Its <see cref="Task"/> is a
/// <see cref="Task{TResult}"/>, so awaiting it is the same.
/// </summary>
[Embedded]
internal sealed class TaskCompletionSource
{
    private readonly TaskCompletionSource<bool> _inner;

    public TaskCompletionSource() => _inner = new TaskCompletionSource<bool>();

    public TaskCompletionSource(TaskCreationOptions creationOptions) => _inner = new TaskCompletionSource<bool>(creationOptions);

    public Task Task => _inner.Task;

    public void SetResult() => _inner.SetResult(true);

    public bool TrySetResult() => _inner.TrySetResult(true);

    public bool TrySetException(Exception exception) => _inner.TrySetException(exception);

    public bool TrySetCanceled() => _inner.TrySetCanceled();

    public bool TrySetCanceled(CancellationToken cancellationToken) => _inner.TrySetCanceled(cancellationToken);
}

/// <summary><c>Task.WaitAsync(CancellationToken)</c> of .NET 6+: the task, or a cancelled one when the token fires first.</summary>
[Embedded]
internal static class TaskPolyfills
{
    extension(Task task)
    {
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            if (task.IsCompleted || !cancellationToken.CanBeCanceled)
            {
                return task;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return Task.FromCanceled(cancellationToken);
            }

            return WaitAsyncCore(task, cancellationToken);
        }

        /// <summary>The task, or a <see cref="TimeoutException"/> when it has not ended within <paramref name="timeout"/>.</summary>
        public async Task WaitAsync(TimeSpan timeout)
        {
            if (await Task.WhenAny(task, Task.Delay(timeout)).ConfigureAwait(false) != task)
            {
                throw new TimeoutException();
            }

            await task.ConfigureAwait(false);
        }
    }

    private static async Task WaitAsyncCore(Task task, CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        await task.ConfigureAwait(false);
    }
}
#endif
