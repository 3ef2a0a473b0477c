/**
 * Every series the agent exposes: name, help and label names. Names ending
 * in `_total` are counters, all others gauges. docs/agent.md lists the same
 * names for the people writing rules: change both together.
 */
export const METRIC_CATALOGUE: Record<string, [string, string[]]> = {
  farmwatch_agent_info: [
    "The agent on this node, value 1.",
    ["node", "version"],
  ],
  farmwatch_scrape_collector_success: [
    "Whether the collector's last run succeeded (1) or failed (0).",
    ["collector"],
  ],
  farmwatch_scrape_collector_duration_seconds: [
    "Duration of the collector's last run in seconds.",
    ["collector"],
  ],
  farmwatch_scrape_collector_failure: [
    "1 while the collector fails, labelled with the reason.",
    ["collector", "reason"],
  ],
  farmwatch_collector_last_success_timestamp_seconds: [
    "Unix time of the collector's last successful run in seconds.",
    ["collector"],
  ],
  farmwatch_collector_runs_skipped_total: [
    "Collector runs skipped because the previous run was still active.",
    ["collector"],
  ],
  farmwatch_external_call_timeouts_total: [
    "External calls (processes, probes) abandoned after their timeout.",
    ["collector"],
  ],
  farmwatch_external_calls_stuck: [
    "External calls past their timeout that have not returned yet.",
    ["collector"],
  ],

  farmwatch_node_cpu_utilization_ratio: [
    "Busy share of all CPUs over the last sampler interval, 0 to 1.",
    [],
  ],
  farmwatch_node_cpus: ["Number of CPUs.", []],
  farmwatch_node_load1: ["Load average over 1 minute.", []],
  farmwatch_node_load5: ["Load average over 5 minutes.", []],
  farmwatch_node_load15: ["Load average over 15 minutes.", []],
  farmwatch_node_memory_available_bytes: ["Available memory in bytes.", []],
  farmwatch_node_memory_total_bytes: ["Total memory in bytes.", []],
  farmwatch_node_cpu_temperature_celsius: [
    "Hottest CPU temperature sensor in degrees Celsius.",
    [],
  ],
  farmwatch_node_uptime_seconds: ["Seconds since the node booted.", []],

  farmwatch_mount_info: [
    "A watched mount that is mounted, value 1, with its metadata.",
    ["mountpoint", "fstype", "source", "share", "hardness", "nfs_version"],
  ],
  farmwatch_mount_present: [
    "Whether the mount is in the mount table (1) or not (0).",
    ["mountpoint"],
  ],
  farmwatch_mount_up: [
    "Whether the mount is mounted and its probe answered (1).",
    ["mountpoint"],
  ],
  farmwatch_mount_hung: [
    "Whether the mount's probe timed out or is still stuck (1).",
    ["mountpoint"],
  ],
  farmwatch_mount_read_only: [
    "Whether the mount options say ro (1).",
    ["mountpoint"],
  ],
  farmwatch_mount_writable: [
    "Whether the canary write on the mount worked (1).",
    ["mountpoint"],
  ],
  farmwatch_mount_free_bytes: [
    "Bytes available to unprivileged users on the mount.",
    ["mountpoint"],
  ],
  farmwatch_mount_size_bytes: [
    "Total size of the mount in bytes.",
    ["mountpoint"],
  ],
  farmwatch_mount_probe_duration_seconds: [
    "Duration of the mount's last finished probe in seconds.",
    ["mountpoint"],
  ],
  farmwatch_mount_canary_duration_seconds: [
    "Duration of the canary write, read and remove in seconds.",
    ["mountpoint"],
  ],
  farmwatch_mount_state: [
    "State of the mount, one series per state, 1 for the current one.",
    ["mountpoint", "state"],
  ],
  farmwatch_mount_probe_timeouts_total: [
    "Probes of the mount that ran past their timeout.",
    ["mountpoint"],
  ],
  farmwatch_mount_tailnet_server: [
    "Whether the mount's server address is a Tailscale address (1).",
    ["mountpoint"],
  ],
  farmwatch_mount_nfs_operations_total: [
    "NFS RPC operations on the mount.",
    ["mountpoint"],
  ],
  farmwatch_mount_nfs_retransmissions_total: [
    "NFS RPC retransmissions on the mount.",
    ["mountpoint"],
  ],
  farmwatch_mount_nfs_major_timeouts_total: [
    "NFS RPC major timeouts on the mount.",
    ["mountpoint"],
  ],
  farmwatch_mount_nfs_read_bytes_total: [
    "Bytes read from the NFS server for the mount.",
    ["mountpoint"],
  ],
  farmwatch_mount_nfs_write_bytes_total: [
    "Bytes written to the NFS server for the mount.",
    ["mountpoint"],
  ],

  farmwatch_gpu_info: [
    "A GPU, value 1, with its metadata.",
    ["gpu", "vendor", "name", "uuid", "driver_version"],
  ],
  farmwatch_gpus: ["Number of GPUs seen.", ["vendor"]],
  farmwatch_gpu_query_success: [
    "Whether the last nvidia-smi query succeeded (1).",
    [],
  ],
  farmwatch_gpu_query_duration_seconds: [
    "Duration of the last nvidia-smi query in seconds.",
    [],
  ],
  farmwatch_gpu_field_parse_errors_total: [
    "nvidia-smi values that were neither a number nor a known placeholder.",
    ["field"],
  ],
  farmwatch_gpu_utilization_ratio: ["GPU busy share, 0 to 1.", ["gpu"]],
  farmwatch_gpu_memory_utilization_ratio: [
    "GPU memory controller busy share, 0 to 1.",
    ["gpu"],
  ],
  farmwatch_gpu_memory_used_bytes: ["GPU memory used in bytes.", ["gpu"]],
  farmwatch_gpu_memory_total_bytes: ["GPU memory total in bytes.", ["gpu"]],
  farmwatch_gpu_temperature_celsius: [
    "GPU core temperature in degrees Celsius.",
    ["gpu"],
  ],
  farmwatch_gpu_memory_temperature_celsius: [
    "GPU memory temperature in degrees Celsius.",
    ["gpu"],
  ],
  farmwatch_gpu_power_watts: ["GPU power draw in watts.", ["gpu"]],
  farmwatch_gpu_power_limit_watts: ["GPU power limit in watts.", ["gpu"]],
  farmwatch_gpu_clock_sm_hertz: ["GPU SM clock in hertz.", ["gpu"]],
  farmwatch_gpu_clock_memory_hertz: ["GPU memory clock in hertz.", ["gpu"]],
  farmwatch_gpu_fan_ratio: ["GPU fan speed, 0 to 1.", ["gpu"]],
  farmwatch_gpu_throttle_reason: [
    "1 for each active GPU clock throttle reason.",
    ["gpu", "reason"],
  ],

  farmwatch_tailscale_up: [
    "Whether Tailscale is Running with an address (1).",
    [],
  ],
  farmwatch_tailscale_backend_state: [
    "Tailscale backend state, one series per state, 1 for the current.",
    ["state"],
  ],
  farmwatch_tailscale_mode: [
    "Tailscale networking mode, one series per mode, 1 for the current.",
    ["mode"],
  ],
  farmwatch_tailscale_interface_present: [
    "Whether the Tailscale TUN interface exists (1).",
    ["interface"],
  ],
  farmwatch_tailscale_interface_up: [
    "Whether the Tailscale interface has the UP flag and a carrier (1).",
    ["interface"],
  ],
  farmwatch_tailscale_key_expiry_timestamp_seconds: [
    "Unix time at which this node's Tailscale key expires, in seconds.",
    [],
  ],
  farmwatch_tailscale_health_messages: [
    "Number of health warnings tailscaled reports.",
    [],
  ],
  farmwatch_tailscale_info: ["The Tailscale daemon, value 1.", ["version"]],
  farmwatch_tailscale_peer_known: [
    "Whether the configured peer is in this node's netmap (1).",
    ["peer", "role"],
  ],
  farmwatch_tailscale_peer_online: [
    "Whether the peer is online (1).",
    ["peer", "role"],
  ],
  farmwatch_tailscale_peer_direct: [
    "Whether the path to the peer is direct (1) or relayed (0).",
    ["peer", "role"],
  ],
  farmwatch_tailscale_peer_expired: [
    "Whether the peer's key has expired (1).",
    ["peer", "role"],
  ],
  farmwatch_tailscale_peer_last_handshake_timestamp_seconds: [
    "Unix time of the last WireGuard handshake with the peer, in seconds.",
    ["peer", "role"],
  ],
  farmwatch_tailscale_userspace_tailnet_mounts: [
    "Network mounts to a Tailscale address while in userspace mode.",
    [],
  ],

  farmwatch_worker_unit_active_state: [
    "Active state of the worker unit, one series per state.",
    ["unit", "state"],
  ],
  farmwatch_worker_unit_sub_state: [
    "Sub state of the worker unit, 1 for the current one.",
    ["unit", "state"],
  ],
  farmwatch_worker_unit_restarts_total: [
    "Automatic restarts of the worker unit (systemd NRestarts).",
    ["unit"],
  ],
  farmwatch_worker_unit_last_exit_status: [
    "Exit status of the worker unit's main process (47: restart asked).",
    ["unit"],
  ],
  farmwatch_blender_info: [
    "The Blender the worker uses, value 1.",
    ["version", "path"],
  ],
  farmwatch_flamenco_worker_info: [
    "The flamenco-worker binary, value 1.",
    ["version", "path"],
  ],
};
