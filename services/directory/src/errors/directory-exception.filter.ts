import { errorCodeFilter } from '@valley/platform';
import { DirectoryException, directoryErrorStatus } from './directory.exception';

export const DirectoryExceptionFilter = errorCodeFilter(DirectoryException, directoryErrorStatus);
