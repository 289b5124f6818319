//! How much memory the browser tab takes: the resident and proportional set
//! sizes (RSS, PSS) of every process ChromeDriver started (the browser, its
//! renderer with the page and its workers, the GPU and utility processes).

/// Memory of a process tree, in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TabMemory {
    /// Sum of the processes' RSS (shared pages counted in each).
    pub rss: u64,
    /// Sum of their PSS (shared pages divided among them): the tab's share
    /// of the machine's memory.
    pub pss: u64,
}

impl TabMemory {
    pub fn max(self, other: TabMemory) -> TabMemory {
        TabMemory {
            rss: self.rss.max(other.rss),
            pss: self.pss.max(other.pss),
        }
    }

    /// "1,234 MB RSS, 1,100 MB PSS"
    pub fn describe(&self) -> String {
        format!(
            "{} MB RSS, {} MB PSS",
            self.rss / 1_000_000,
            self.pss / 1_000_000
        )
    }
}

/// The descendants of `root` (not `root` itself), from `/proc`.
fn descendants(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // The parent follows the command name, which is in parentheses.
            let after = &stat[stat.rfind(')')? + 2..];
            let ppid = after.split(' ').nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// A `kB` field of a `/proc` file, in bytes.
fn kilobytes(text: &str, field: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

/// The memory of every process under ChromeDriver `driver_pid` now.
pub fn tab_memory(driver_pid: u32) -> TabMemory {
    descendants(driver_pid)
        .into_iter()
        .map(|pid| {
            let rollup =
                std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
            TabMemory {
                rss: kilobytes(&rollup, "Rss:"),
                pss: kilobytes(&rollup, "Pss:"),
            }
        })
        .fold(TabMemory::default(), |a, b| TabMemory {
            rss: a.rss + b.rss,
            pss: a.pss + b.pss,
        })
}
