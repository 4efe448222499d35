using Monitor.Cli;

return MonitorCli.Run(args, Console.In, Console.Out, Console.Error);
