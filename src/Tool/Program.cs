using System;
using Kissmetrics.Typed.Tool;

return PlansTool.Run(args, Console.Out, Console.Error);
