//! What the page must do for a race: the only output of [`super::Race`].

use super::messages::RaceCommand;
use super::run_slot::{Downloads, RunSlot};
#[cfg(doc)]
use super::Race;
use super::RunConfig;

/// What the page must do for the race.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start a worker for run `id` and send it [`RaceCommand::Start`] with
    /// this config (and the learner's text when that is the corpus).
    Spawn(u32, RunConfig),
    /// Send worker `id` a message.
    Send(u32, RaceCommand),
    /// End worker `id`: its run was removed or restarted, or it died.
    Terminate(u32),
    /// Make files of run `id`'s exported model and history, and hand them
    /// to [`Race::files_made`].
    MakeFiles {
        id: u32,
        model_json: String,
        csv: String,
    },
    /// Files no run shows any more: free them.
    ReleaseFiles(Downloads),
}

impl Command {
    /// A new worker for run `id`, waiting until its turn.
    pub fn spawn(id: u32, config: RunConfig) -> Vec<Command> {
        vec![
            Command::Spawn(id, config),
            Command::Send(id, RaceCommand::Pause),
        ]
    }

    /// What ending a slot's run takes: its worker (unless already ended)
    /// and its files.
    pub fn end_run(slot: &RunSlot) -> Vec<Command> {
        let mut commands = Vec::new();
        if slot.run.worker_alive() {
            commands.push(Command::Terminate(slot.id()));
        }
        commands.extend(slot.run.downloads.clone().map(Command::ReleaseFiles));
        commands
    }
}
