using Avalonia;
using Avalonia.Controls;
using Avalonia.Headless;
using Avalonia.Headless.XUnit;
using Avalonia.Input;
using Avalonia.Media.Imaging;
using Avalonia.Threading;
using Avalonia.VisualTree;
using ChatHub.Samples.Desk.Tests.Infrastructure;
using ChatHub.Samples.Desk.ViewModels;
using ChatHub.Samples.Desk.Views;
using Xunit;

namespace ChatHub.Samples.Desk.Tests;

/// <summary>The desk's window on Avalonia's headless platform, driven as a person would (typing, clicking, Enter)
/// against a real server; each step's frame, rendered with Skia, is saved as docs/screenshots/desk-*.png.</summary>
public sealed class DeskWindowTests
{
    [AvaloniaFact]
    public async Task An_agent_signs_in_opens_a_conversation_and_replies()
    {
        await using var server = await DeskServer.StartAsync();
        var ann = await server.CustomerAsync("Ann Lee");
        var annInbox = new CustomerInbox(ann);
        await ann.SendMessageAsync("Hi! My order #1042 has not arrived yet.");
        await ann.SendMessageAsync("It was due on Monday.");
        var bob = await server.CustomerAsync("Bob Stone");
        await bob.SendMessageAsync("Can I change the delivery address of my order?");

        MessageItemViewModel.FormatTime = _ => "09:41";
        var main = new MainViewModel();
        var window = new MainWindow { DataContext = main, Width = 1100, Height = 700 };
        window.Show();
        try
        {
            // Sign in: the server URL, the email and the password typed into the form, then a click on Sign in.
            var serverUrl = await Find<TextBox>(window, "ServerUrl");
            serverUrl.Text = "";
            serverUrl.Focus();
            window.KeyTextInput("https://chat.example.com"); // as the screenshot shows it; the server's own port changes
            (await Find<TextBox>(window, "Email")).Focus();
            window.KeyTextInput(DeskServer.AdminEmail);
            (await Find<TextBox>(window, "Password")).Focus();
            window.KeyTextInput(DeskServer.AdminPassword);
            Assert.Equal((DeskServer.AdminEmail, DeskServer.AdminPassword), (main.SignIn.Email, main.SignIn.Password));
            Assert.False((await Find<TextBox>(window, "AccessToken")).IsEffectivelyVisible); // one click away
            Save(window, "desk-sign-in.png");
            serverUrl.Text = server.BaseUrl.ToString();
            Click(window, await Find<Button>(window, "SignIn"));

            // The list: both conversations, Ann's with 2 unread.
            var list = await Find<ListBox>(window, "Conversations");
            await Eventually.Until(() => list.ItemCount == 2, "two conversations in the list");
            var desk = Assert.IsType<DeskViewModel>(main.CurrentPage);
            var annRow = desk.Conversations.Single(c => c.Title == "Ann Lee");
            Assert.Equal(2, annRow.UnreadCount);
            Save(window, "desk-list.png");

            // Open Ann's conversation (a click selects the row), reply with Enter.
            Click(window, list.ContainerFromItem(annRow)!);
            var messages = await Find<ItemsControl>(window, "Messages");
            await Eventually.Until(() => messages.ItemCount == 2, "Ann's two messages in the thread");
            Assert.Equal(0, annRow.UnreadCount);
            var draft = await Find<TextBox>(window, "Draft");
            draft.Focus();
            window.KeyTextInput("Hello Ann, I am checking with the courier now.");
            window.KeyPress(Key.Enter, RawInputModifiers.None, PhysicalKey.Enter, null);
            window.KeyRelease(Key.Enter, RawInputModifiers.None, PhysicalKey.Enter, null);
            await Eventually.Until(() => messages.ItemCount == 3, "the reply in the thread");
            await Eventually.Until(() => annInbox.Messages.Any(m => m.Content == "Hello Ann, I am checking with the courier now."),
                "the reply at the customer");
            Assert.Equal("", draft.Text);

            // A private note, and the customer typing.
            Click(window, await Find<CheckBox>(window, "PrivateNote"));
            Assert.True(desk.Thread!.IsPrivateNote);
            draft.Focus();
            window.KeyTextInput("Courier ticket 77-301 opened.");
            Click(window, await Find<Button>(window, "Send"));
            await Eventually.Until(() => messages.ItemCount == 4, "the note in the thread");
            await ann.SetTypingAsync(true);
            var typing = await Find<TextBlock>(window, "Typing");
            await Eventually.Until(() => typing.IsVisible, "the customer's typing indicator");
            Save(window, "desk-thread.png");
        }
        finally
        {
            window.Close();
            if (main.Desk is { } desk) await desk.DisposeAsync();
        }
    }

    /// <summary>The named control inside the window's current views (each view is a name scope of its own, so the
    /// visual tree is searched), after the layout has caught up.</summary>
    private static async Task<T> Find<T>(Window window, string name) where T : Control
    {
        T? found = null;
        await Eventually.Until(() =>
        {
            Dispatcher.UIThread.RunJobs();
            found = window.GetVisualDescendants().OfType<T>().FirstOrDefault(c => c.Name == name);
            return found is not null;
        }, $"the {typeof(T).Name} {name}");
        return found!;
    }

    /// <summary>A left click in the middle of <paramref name="control"/>, as the mouse makes it.</summary>
    private static void Click(Window window, Control control)
    {
        Dispatcher.UIThread.RunJobs();
        var middle = control.TranslatePoint(new Point(control.Bounds.Width / 2, control.Bounds.Height / 2), window)
            ?? throw new InvalidOperationException($"{control.Name ?? control.GetType().Name} is not in the window");
        window.MouseDown(middle, MouseButton.Left);
        window.MouseUp(middle, MouseButton.Left);
        Dispatcher.UIThread.RunJobs();
    }

    /// <summary>Renders the window's frame (Skia) and writes it to docs/screenshots/<paramref name="fileName"/>,
    /// unless the committed picture looks the same (every pixel channel within a few levels): an unchanged UI leaves
    /// no diff, a changed one shows in git status.</summary>
    private static void Save(Window window, string fileName)
    {
        Dispatcher.UIThread.RunJobs();
        AvaloniaHeadlessPlatform.ForceRenderTimerTick();
        using var frame = window.CaptureRenderedFrame() ?? throw new InvalidOperationException("no frame was rendered");
        var target = Path.Combine(ScreenshotsFolder(), fileName);
        using var png = new MemoryStream();
        frame.Save(png);
        if (File.Exists(target))
        {
            // Both decoded from PNG alike, so that their pixel formats match.
            png.Position = 0;
            using var taken = new Bitmap(png);
            using var committed = new Bitmap(target);
            if (LookAlike(committed, taken)) return;
        }
        File.WriteAllBytes(target, png.ToArray());
    }

    private static bool LookAlike(Bitmap first, Bitmap second)
    {
        if (first.PixelSize != second.PixelSize) return false;
        static byte[] Pixels(Bitmap bitmap)
        {
            var stride = bitmap.PixelSize.Width * 4;
            var pixels = new byte[stride * bitmap.PixelSize.Height];
            unsafe
            {
                fixed (byte* buffer = pixels)
                    bitmap.CopyPixels(new PixelRect(bitmap.PixelSize), (nint)buffer, pixels.Length, stride);
            }
            return pixels;
        }
        var a = Pixels(first);
        var b = Pixels(second);
        var apart = 0;
        for (var i = 0; i < a.Length; i++)
            if (Math.Abs(a[i] - b[i]) > 4) apart++;
        return apart == 0;
    }

    private static string ScreenshotsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatHub.sln"))) return Path.Combine(dir.FullName, "docs", "screenshots");
        throw new DirectoryNotFoundException("ChatHub.sln was not found above the test assembly");
    }
}
