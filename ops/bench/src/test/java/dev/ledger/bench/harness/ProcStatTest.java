package dev.ledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void readsVmRssAndItsPartsInBytes() {
    String status =
        "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 100000 kB\n"
            + "RssFile:\t   23000 kB\nRssShmem:\t     456 kB\n";
    assertThat(ProcStat.parseResident(status))
        .isEqualTo(new ProcStat.Resident(123456L * 1024, 100000L * 1024, 23456L * 1024));
    assertThat(ProcStat.parseResident("Name:\tzombie\nState:\tZ (zombie)\n"))
        .isEqualTo(ProcStat.Resident.UNKNOWN);
  }

  @Test
  void addsUserAndSystemTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
    // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime ...
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 40 0 99 0\n";
    assertThat(ProcStat.parseCpuTicks(stat)).isEqualTo(1234 + 567);
  }

  @Test
  void agreesWithTheJvmAboutThisProcess() {
    assumeThat(Files.exists(Path.of("/proc/self/stat"))).isTrue();
    long pid = ProcessHandle.current().pid();
    long before = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    long ours = ProcStat.cpuNanos(pid);
    long after = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    // Tick resolution is 10 ms; allow a few ticks either side.
    assertThat(ours).isBetween(before - 50_000_000L, after + 50_000_000L);
    assertThat(ProcStat.residentBytes(pid)).isGreaterThan(10L << 20);
    ProcStat.Resident resident = ProcStat.resident(pid);
    assertThat(resident.anonymous()).isPositive().isLessThanOrEqualTo(resident.total());
    assertThat(resident.files()).isPositive().isLessThanOrEqualTo(resident.total());
    assertThat(ProcStat.residentBytes(Long.MAX_VALUE)).isEqualTo(-1);
  }
}
