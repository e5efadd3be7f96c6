package dev.ledger.ops;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium and chromedriver, headless, driven by Selenium. Both binaries are named
 * explicitly, so Selenium's driver manager never runs and nothing is downloaded; {@code
 * --no-sandbox} because CI runs as root.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;
  final Path downloads;

  private HeadlessChromium(ChromeDriver driver, Path downloads) {
    this.driver = driver;
    this.downloads = downloads;
  }

  /**
   * @return why the browser cannot run here, or null when both binaries are installed
   */
  static String missing() {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      return "needs "
          + BROWSER
          + " and "
          + DRIVER
          + " (apt-get install chromium chromium-driver; ./ledger test "
          + "installs them when run as root on Debian)";
    }
    return null;
  }

  static HeadlessChromium start(Path downloads) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,800",
        "--lang=en-GB",
        "--no-first-run",
        "--disable-extensions");
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(new File("target/chromedriver.log"))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    // Headless Chromium saves downloads only where it is told to.
    driver.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    return new HeadlessChromium(driver, downloads);
  }

  /** Waits polling every 50 ms; an element the console just redrew is looked up again. */
  WebDriverWait waiting(Duration atMost) {
    WebDriverWait wait = new WebDriverWait(driver, atMost, Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** Saves a PNG of the window to {@code target/console/<name>.png} and returns its path. */
  Path screenshot(String name) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "console"));
      Path png = dir.resolve(name + ".png");
      Files.move(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          png,
          StandardCopyOption.REPLACE_EXISTING);
      return png;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The browser console's messages so far. */
  List<String> consoleMessages() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::toString)
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
