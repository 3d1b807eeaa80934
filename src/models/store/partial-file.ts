// A download in progress lives in the origin private file system (OPFS), written through a
// sync access handle: each write lands in the file at once (a writable stream would only commit
// on close), so when the tab is closed mid-download the bytes so far survive and the next visit
// resumes from them with a Range request.

/** The parts of FileSystemSyncAccessHandle we use (typed here: the DOM lib used for shared code lacks it). */
interface SyncAccessHandle {
  write(buffer: ArrayBufferView, options?: { at?: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

const PARTIAL_DIR = 'hearth-partial-downloads';

async function partialDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(PARTIAL_DIR, { create: true });
}

/** A stable file name for a cache key (OPFS names cannot hold `/`). */
function partialName(key: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const char of key) hash = BigInt.asUintN(64, (hash ^ BigInt(char.codePointAt(0) ?? 0)) * 0x100000001b3n);
  return `${hash.toString(16)}.part`;
}

/** Bytes of `key` already downloaded (0 when none). */
export async function partialBytes(key: string): Promise<number> {
  try {
    const handle = await (await partialDir()).getFileHandle(partialName(key));
    return (await handle.getFile()).size;
  } catch {
    return 0;
  }
}

export class PartialFile {
  private constructor(
    private readonly handle: FileSystemFileHandle,
    private readonly access: SyncAccessHandle,
    private readonly name: string,
  ) {}

  static async open(key: string): Promise<PartialFile> {
    const name = partialName(key);
    const handle = await (await partialDir()).getFileHandle(name, { create: true });
    const access = (await (handle as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }).createSyncAccessHandle());
    return new PartialFile(handle, access, name);
  }

  get size(): number {
    return this.access.getSize();
  }

  append(chunk: Uint8Array): void {
    this.access.write(chunk, { at: this.access.getSize() });
  }

  restart(): void {
    this.access.truncate(0);
  }

  flush(): void {
    this.access.flush();
  }

  /** Closes the handle; the file stays for a later resume. */
  close(): void {
    this.access.close();
  }

  /** Closes and returns the finished file (disk-backed: not copied into memory). */
  async finish(): Promise<File> {
    this.access.flush();
    this.access.close();
    return this.handle.getFile();
  }

  /** Closes (if open) and deletes the file. */
  async discard(): Promise<void> {
    try {
      this.access.close();
    } catch {
      // already closed
    }
    await (await partialDir()).removeEntry(this.name).catch(() => undefined);
  }
}

/** Deletes a partial download without opening it (e.g. when its model is deleted). */
export async function discardPartial(key: string): Promise<void> {
  await (await partialDir()).removeEntry(partialName(key)).catch(() => undefined);
}
