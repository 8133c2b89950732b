using Avalonia.Controls;
using Avalonia.Input;
using Avalonia.Threading;
using ChatHub.Samples.Desk.ViewModels;

namespace ChatHub.Samples.Desk.Views;

/// <summary>The open conversation (<see cref="ThreadViewModel"/>). Enter in the composer sends; the view keeps the
/// newest message in sight as messages arrive.</summary>
public partial class ThreadView : UserControl
{
    public ThreadView()
    {
        InitializeComponent();
        Draft.KeyDown += (_, e) =>
        {
            if (e.Key != Key.Enter || DataContext is not ThreadViewModel thread) return;
            e.Handled = true;
            if (thread.SendCommand.CanExecute(null)) thread.SendCommand.Execute(null);
        };
        Messages.ContainerPrepared += (_, e) =>
        {
            // A message added at the end (not an older page inserted above): keep it in sight.
            if (e.Index == Messages.ItemCount - 1)
                Dispatcher.UIThread.Post(() => MessagesScroll.ScrollToEnd(), DispatcherPriority.Background);
        };
    }
}
